"""The proof of a deployment: `make proof` brings the portal up on its production parts the way
docker-compose.yml defines them, without Docker, and walks people's journeys over HTTPS.

Its machinery (processes, a private Redis, PostgreSQL databases, the SMTP server, the
environment from the compose file, TLS) is shared with the tests that start real processes.
"""
