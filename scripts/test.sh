#!/usr/bin/env bash
# The test command: installs what is missing, starts a throw-away PostgreSQL on loopback
# (scripts/pg-cluster.sh; stopped and deleted on exit), builds, runs every test suite —
# the case-queue suite against SQLite and PostgreSQL, and the cooperating-worker tests —
# then the lexicon's own examples and lint.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
pgdir=$(mktemp -d "${TMPDIR:-/tmp}/claimscan-pg.XXXXXX")
trap './scripts/pg-cluster.sh stop "$pgdir"' EXIT
./scripts/pg-cluster.sh start "$pgdir"
eval "$(./scripts/pg-cluster.sh env "$pgdir")"
swift build --build-tests
swift test --skip-build
./.build/debug/claimscan lexicon test
./.build/debug/claimscan lexicon lint
# Detection must not regress. Two floors:
# - the rules alone (--no-model) on the development corpora — every dev set and the held-out
#   sets spent in sessions 7 to 12 — as before the promise model existed (the model is
#   trained on these texts, so its numbers there prove nothing);
# - rules + promise model on the fourteen corpora still blind to both (holdout15, 17, 18, 20, 21,
#   22, 25, 26, 27, 28, 29, 30, 31, 32; session 16: see the README; on the first ten, session 13 0.957
#   recall, 0.017 false-positive rate; session 12 0.939). A floor, not a
#   target to tune on: their texts and errors are not to be read (fixtures/eval/README.md).
./.build/debug/claimscan eval fixtures/eval/dev*.jsonl fixtures/eval/holdout.jsonl fixtures/eval/holdout2.jsonl fixtures/eval/holdout3.jsonl fixtures/eval/holdout4.jsonl fixtures/eval/holdout5.jsonl fixtures/eval/holdout6.jsonl fixtures/eval/holdout7.jsonl fixtures/eval/holdout8.jsonl fixtures/eval/holdout9.jsonl fixtures/eval/holdout10.jsonl fixtures/eval/holdout11.jsonl fixtures/eval/holdout12.jsonl fixtures/eval/holdout13.jsonl fixtures/eval/holdout14.jsonl fixtures/eval/holdout16.jsonl fixtures/eval/holdout23.jsonl fixtures/eval/holdout24.jsonl --no-model --quiet --min-recall 0.97 --max-fpr 0.02
./.build/debug/claimscan eval fixtures/eval/holdout15.jsonl fixtures/eval/holdout17.jsonl fixtures/eval/holdout18.jsonl fixtures/eval/holdout20.jsonl fixtures/eval/holdout21.jsonl fixtures/eval/holdout22.jsonl fixtures/eval/holdout25.jsonl fixtures/eval/holdout26.jsonl fixtures/eval/holdout27.jsonl fixtures/eval/holdout28.jsonl fixtures/eval/holdout29.jsonl fixtures/eval/holdout30.jsonl fixtures/eval/holdout31.jsonl fixtures/eval/holdout32.jsonl --quiet --min-recall 0.90 --max-fpr 0.025
