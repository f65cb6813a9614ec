"""Every write that spans rows lives here: one module per concept, functions named <entity>_<action>."""
