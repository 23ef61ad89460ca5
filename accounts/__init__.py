"""User accounts without Flask: the users file of access control (:mod:`accounts.users`)."""
