"""The support desk: tickets from clients and salons, threads, SLA timers, canned replies, live chat."""
