"""apierror's edges: the Slack app, persistence, the daily digest and the command line."""
