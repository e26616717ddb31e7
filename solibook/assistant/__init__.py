"""The virtual consultant: a chat that answers and books, on the site and in messengers."""
