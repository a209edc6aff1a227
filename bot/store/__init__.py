"""Team memory storage: models, engines, repositories scoped by team, Alembic migrations."""
