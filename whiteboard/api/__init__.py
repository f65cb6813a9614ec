"""REST API: thin views over the services, one error shape shared with the socket."""
