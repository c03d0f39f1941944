#!/usr/bin/env bash
# The GitHub Action's check step (action.yml runs it; tests/action_script.rs runs it with
# the environment GitHub gives a step). Runs `drizzle-drift check`:
#   - with --base origin/<base branch> on pull_request events (fetched when missing),
#   - against INPUT_URL when given, --offline otherwise,
# prints the annotations (--format github) to the log, appends the markdown report to
# $GITHUB_STEP_SUMMARY, writes `exit-code` to $GITHUB_OUTPUT, and with INPUT_COMMENT=true
# keeps ONE pull-request comment up to date: the one holding this project's hidden marker is
# edited (PATCH), else one is created (POST), through the REST API at $GITHUB_API_URL.
# Exits with check's code: 0 clean, 1 findings at or above INPUT_FAIL_ON, 2 could not run.
#
# Inputs (environment): INPUT_WORKING_DIRECTORY (.), INPUT_URL, INPUT_BASE (a revision
# instead of the pull request's base), INPUT_FAIL_ON (error), INPUT_COMMENT (false),
# INPUT_TOKEN (for the comment); DRIZZLE_DRIFT (the binary, default drizzle-drift on PATH).
set -uo pipefail

dir="${INPUT_WORKING_DIRECTORY:-.}"
[ -n "$dir" ] || dir=.
bin="${DRIZZLE_DRIFT:-drizzle-drift}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Workflow-command data: what would end the command is percent-encoded.
escape() {
  local s="$1"
  s="${s//'%'/%25}"
  s="${s//$'\r'/%0D}"
  s="${s//$'\n'/%0A}"
  printf '%s' "$s"
}

output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1" >>"$GITHUB_OUTPUT"; fi
}

summary() {
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat >>"$GITHUB_STEP_SUMMARY"; else cat >/dev/null; fi
}

if ! command -v "$bin" >/dev/null; then
  echo "::error title=drizzle-drift::$(escape "$bin is not on PATH: with \`install: none\` an earlier step must install it")"
  output "exit-code=2"
  exit 2
fi
if ! cd "$dir"; then
  echo "::error title=drizzle-drift::$(escape "working-directory $dir does not exist")"
  output "exit-code=2"
  exit 2
fi
event_pr() {
  if [ -n "${GITHUB_EVENT_PATH:-}" ] && [ -f "$GITHUB_EVENT_PATH" ]; then
    jq -r "$1 // empty" "$GITHUB_EVENT_PATH" 2>/dev/null
  fi
}

args=(check --fail-on "${INPUT_FAIL_ON:-error}")
if [ -n "${INPUT_URL:-}" ]; then
  # Through the environment, not the command line (which other processes can read).
  export DRIZZLE_DRIFT_URL="$INPUT_URL"
else
  unset DRIZZLE_DRIFT_URL
  args+=(--offline)
fi

base="${INPUT_BASE:-}"
case "${GITHUB_EVENT_NAME:-}" in
  pull_request | pull_request_target)
    if [ -z "$base" ] && [ -n "${GITHUB_BASE_REF:-}" ]; then
      base="origin/$GITHUB_BASE_REF"
      # actions/checkout fetches only the pull request's commit: fetch the base's tip
      # (its tree is all --base reads).
      if ! git rev-parse --verify --quiet "$base^{commit}" >/dev/null; then
        echo "drizzle-drift: fetching $GITHUB_BASE_REF from origin for --base $base"
        git fetch --quiet --no-tags --depth=1 origin \
          "+refs/heads/$GITHUB_BASE_REF:refs/remotes/origin/$GITHUB_BASE_REF" ||
          echo "drizzle-drift: git fetch of $GITHUB_BASE_REF failed" >&2
      fi
    fi
    head_sha=$(event_pr '.pull_request.head.sha')
    if [ -n "$head_sha" ] && [ "$(git rev-parse HEAD 2>/dev/null)" != "$head_sha" ]; then
      echo "::warning title=drizzle-drift::$(escape "the checkout is not the pull request's head commit $head_sha (actions/checkout checks out a merge with the base by default): --base compares that merge, not the branch. Check out with \`ref: \${{ github.event.pull_request.head.sha }}\`.")"
    fi
    ;;
esac
if [ -n "$base" ]; then args+=(--base "$base"); fi

echo "drizzle-drift ${args[*]} (in $dir)"
# One check: annotations in the log, the same report as markdown for the summary and the comment.
"$bin" "${args[@]}" --format github --report-file "markdown=$tmp/report.md" 2>"$tmp/github.err"
code=$?
if [ -s "$tmp/report.md" ]; then
  if [ -s "$tmp/github.err" ]; then cat "$tmp/github.err" >&2; fi
else
  # No report at all (a bad config, an unreachable database): the error is the report.
  err=$(cat "$tmp/github.err")
  echo "::error title=drizzle-drift could not run::$(escape "$err")"
  {
    echo "## ❌ drizzle-drift could not run"
    echo
    echo '```text'
    echo "$err"
    echo '```'
  } >"$tmp/report.md"
fi
summary <"$tmp/report.md"
output "exit-code=$code"

comment="${INPUT_COMMENT:-false}"
pr=$(event_pr '.pull_request.number // .issue.number')
if [ "$comment" = "true" ] && [ -z "$pr" ]; then
  echo "drizzle-drift: comment: not a pull request event (${GITHUB_EVENT_NAME:-none}), no comment"
elif [ "$comment" = "true" ]; then
  api="${GITHUB_API_URL:-https://api.github.com}"
  repo="${GITHUB_REPOSITORY:?GITHUB_REPOSITORY is not set}"
  marker="<!-- drizzle-drift comment: $dir -->"
  # The token goes in a header file, not on curl's command line.
  printf 'Authorization: Bearer %s\n' "${INPUT_TOKEN:-}" >"$tmp/auth"
  request() { # METHOD URL [JSON-FILE]: the response body in $tmp/response, prints the status
    local extra=()
    if [ $# -ge 3 ]; then extra=(-H "Content-Type: application/json" --data-binary "@$3"); fi
    curl -sS -o "$tmp/response" -w '%{http_code}' -X "$1" \
      -H "@$tmp/auth" -H "Accept: application/vnd.github+json" \
      -H "X-GitHub-Api-Version: 2022-11-28" ${extra[@]+"${extra[@]}"} "$2" || true
  }
  warn_http() {
    echo "::warning title=drizzle-drift comment::$(escape "$1 answered HTTP $2 (a pull request from a fork gets a read-only token): $(head -c 300 "$tmp/response" 2>/dev/null)")"
  }
  id=""
  page=1
  while :; do
    status=$(request GET "$api/repos/$repo/issues/$pr/comments?per_page=100&page=$page")
    if [ "$status" != 200 ]; then
      warn_http "listing the comments of #$pr" "$status"
      id=failed
      break
    fi
    id=$(jq -r --arg m "$marker" '[.[] | select((.body // "") | contains($m)) | .id][0] // empty' "$tmp/response")
    count=$(jq 'length' "$tmp/response")
    if [ -n "$id" ] || [ "$count" -lt 100 ]; then break; fi
    page=$((page + 1))
  done
  if [ "$id" != failed ]; then
    { echo "$marker"; cat "$tmp/report.md"; } | jq -Rs '{body: .}' >"$tmp/body.json"
    if [ -n "$id" ]; then
      status=$(request PATCH "$api/repos/$repo/issues/comments/$id" "$tmp/body.json")
      want=200
    else
      status=$(request POST "$api/repos/$repo/issues/$pr/comments" "$tmp/body.json")
      want=201
    fi
    if [ "$status" = "$want" ]; then
      url=$(jq -r '.html_url // empty' "$tmp/response")
      echo "drizzle-drift: comment ${id:+$id }${url:-updated}"
      output "comment-url=$url"
    else
      warn_http "writing the comment on #$pr" "$status"
    fi
  fi
fi
exit "$code"
