"""Loopback benchmark of BothSides' live sync against bare relays; `make bench` runs bench/run.py."""
