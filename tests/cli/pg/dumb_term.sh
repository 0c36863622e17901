#!/usr/bin/env bash
# tests/cli/dumb_term.sh on PostgreSQL: a private server for this run (issue 16).
ENGINE=postgresql exec bash "$(dirname "$0")/../dumb_term.sh"
