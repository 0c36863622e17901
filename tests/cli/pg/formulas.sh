#!/usr/bin/env bash
# tests/cli/formulas.sh on PostgreSQL: a private server for this run (issue 16).
ENGINE=postgresql exec bash "$(dirname "$0")/../formulas.sh"
