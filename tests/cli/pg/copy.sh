#!/usr/bin/env bash
# tests/cli/copy.sh on PostgreSQL: SQLite -> PostgreSQL (COPY) -> SQLite (issue 16).
ENGINE=postgresql exec bash "$(dirname "$0")/../copy.sh"
