#!/usr/bin/env bash
# tests/cli/money.sh on PostgreSQL: a private server for this run (issue 16).
ENGINE=postgresql exec bash "$(dirname "$0")/../money.sh"
