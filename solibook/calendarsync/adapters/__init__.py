"""The two calendar protocols behind one small interface (`base`): pull the
master's events in a window, put and delete the events of visits by UID."""
