"""The second factor: an authenticator app and recovery codes, enrolled from the profile and
asked for after the password (routes.py); the rules in services.py."""
