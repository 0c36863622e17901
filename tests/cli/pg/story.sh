#!/usr/bin/env bash
# tests/cli/story.sh on PostgreSQL: a private server for this run (issue 16).
ENGINE=postgresql exec bash "$(dirname "$0")/../story.sh"
