#!/usr/bin/env bash
# tests/cli/manpages.sh on PostgreSQL: a private server for this run (issue 16).
ENGINE=postgresql exec bash "$(dirname "$0")/../manpages.sh"
