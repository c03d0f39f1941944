//! The GitHub Action's script (scripts/action/run.sh, what action.yml runs) in the
//! environment GitHub gives a step: GITHUB_* variables, an event payload file, the summary
//! and output files, on a shallow clone of a real two-branch repository (the base-branch
//! fixture's sides, real drizzle-kit output). The pull-request comment goes to a small
//! HTTP server in this process that keeps comments as GitHub's REST API does and records
//! every request.

mod support;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use support::git_repo::{commit_side, git, two_branch_repo};

#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    authorization: String,
    body: String,
}

#[derive(Default)]
struct Store {
    /// (id, body) of the pull request's comments.
    comments: Vec<(u64, String)>,
    requests: Vec<Request>,
    /// Answer writes with this status (a fork's read-only token gets 403).
    refuse_writes: Option<u16>,
}

/// The issue-comments endpoints of GitHub's REST API for pull request #7 of `o/r`, on a
/// loopback port. Stopped (and its thread joined) on drop.
struct CommentsApi {
    url: String,
    store: Arc<Mutex<Store>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl CommentsApi {
    fn start(store: Store) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let store = Arc::new(Mutex::new(store));
        let stop = Arc::new(AtomicBool::new(false));
        let (s, st) = (store.clone(), stop.clone());
        // At most 100 connections: a script gone wrong cannot keep it busy.
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming().take(100) {
                if st.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(10)));
                    handle(stream, &s);
                }
            }
        });
        CommentsApi {
            url,
            store,
            stop,
            thread: Some(thread),
        }
    }

    fn take_requests(&self) -> Vec<Request> {
        std::mem::take(&mut self.store.lock().expect("lock").requests)
    }

    fn comments(&self) -> Vec<(u64, String)> {
        self.store.lock().expect("lock").comments.clone()
    }
}

impl Drop for CommentsApi {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.url.trim_start_matches("http://"));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn handle(stream: TcpStream, store: &Mutex<Store>) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).unwrap_or(0) == 0 {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let (mut length, mut authorization, mut expect) = (0usize, String::new(), false);
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().unwrap_or(0),
            "authorization" => authorization = value.to_string(),
            "expect" => expect = value.eq_ignore_ascii_case("100-continue"),
            _ => {}
        }
    }
    if expect {
        let _ = reader.get_mut().write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    let (status, answer) = {
        let mut s = store.lock().expect("lock");
        s.requests.push(Request {
            method: method.clone(),
            path: path.clone(),
            authorization,
            body: body.clone(),
        });
        answer(&mut s, &method, &path, &body)
    };
    let answer = answer.to_string();
    let reason = match status {
        200 => "OK",
        201 => "Created",
        403 => "Forbidden",
        _ => "Not Found",
    };
    let _ = write!(
        reader.get_mut(),
        "HTTP/1.1 {status} {reason}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
        answer.len()
    );
}

fn comment_json(id: u64, body: &str) -> Value {
    json!({
        "id": id,
        "body": body,
        "html_url": format!("https://github.com/o/r/pull/7#issuecomment-{id}"),
    })
}

fn answer(s: &mut Store, method: &str, path: &str, body: &str) -> (u16, Value) {
    let body_of = |body: &str| {
        serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|v| v["body"].as_str().map(String::from))
    };
    match method {
        "GET" if path.starts_with("/repos/o/r/issues/7/comments?") => {
            let page = path
                .rsplit_once("&page=")
                .and_then(|(_, p)| p.parse::<usize>().ok())
                .unwrap_or(1)
                .max(1);
            let list: Vec<Value> = s
                .comments
                .iter()
                .skip((page - 1) * 100)
                .take(100)
                .map(|(id, b)| comment_json(*id, b))
                .collect();
            (200, Value::Array(list))
        }
        "POST" | "PATCH" if s.refuse_writes.is_some() => (
            s.refuse_writes.unwrap_or(403),
            json!({"message": "Resource not accessible by integration"}),
        ),
        "POST" if path == "/repos/o/r/issues/7/comments" => match body_of(body) {
            Some(text) => {
                let id = 1000 + s.comments.len() as u64;
                s.comments.push((id, text.clone()));
                (201, comment_json(id, &text))
            }
            None => (422, json!({"message": "body is required"})),
        },
        "PATCH" => {
            let id = path
                .strip_prefix("/repos/o/r/issues/comments/")
                .and_then(|id| id.parse::<u64>().ok());
            match (id, body_of(body)) {
                (Some(id), Some(text)) => match s.comments.iter_mut().find(|c| c.0 == id) {
                    Some(c) => {
                        c.1 = text.clone();
                        (200, comment_json(id, &text))
                    }
                    None => (404, json!({"message": "Not Found"})),
                },
                _ => (422, json!({"message": "bad request"})),
            }
        }
        _ => (404, json!({"message": "Not Found"})),
    }
}

/// A shallow clone of the feature branch only, as actions/checkout leaves a pull request's
/// head checked out: the base branch is not fetched.
fn workspace(tmp: &Path, repo: &Path) -> PathBuf {
    let origin = tmp.join("origin.git");
    let ws = tmp.join("workspace");
    let (o, w) = (origin.to_string_lossy(), ws.to_string_lossy());
    git(tmp, &["clone", "-q", "--bare", &repo.to_string_lossy(), &o]);
    let url = format!("file://{o}");
    git(
        tmp,
        &[
            "clone",
            "-q",
            "--depth=1",
            "--single-branch",
            "--branch",
            "feature",
            &url,
            &w,
        ],
    );
    ws
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    summary: String,
    output: String,
}

/// run.sh in `ws` for `event` (its payload in a file), with drizzle-drift on PATH.
fn run(ws: &Path, event: &str, payload: &Value, api: &str, inputs: &[(&str, &str)]) -> Run {
    let dir = tempfile::tempdir().expect("tempdir");
    let event_path = dir.path().join("event.json");
    std::fs::write(&event_path, payload.to_string()).expect("write event");
    let summary = dir.path().join("summary.md");
    let output = dir.path().join("output");
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_drizzle-drift"));
    let path = format!(
        "{}:{}",
        bin.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/action/run.sh");
    let mut cmd = Command::new("bash");
    cmd.arg(&script)
        .current_dir(ws)
        .env("PATH", path)
        .env_remove("DATABASE_URL")
        .env_remove("DRIZZLE_DRIFT_URL")
        .env("NO_COLOR", "1")
        .env("CI", "true")
        .env("GITHUB_ACTIONS", "true")
        .env("GITHUB_EVENT_NAME", event)
        .env("GITHUB_EVENT_PATH", &event_path)
        .env("GITHUB_REPOSITORY", "o/r")
        .env("GITHUB_API_URL", api)
        .env("GITHUB_WORKSPACE", ws)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_TEMP", dir.path());
    if event == "pull_request" {
        cmd.env("GITHUB_BASE_REF", "main")
            .env("GITHUB_HEAD_REF", "feature")
            .env("GITHUB_REF", "refs/pull/7/merge");
    } else {
        cmd.env("GITHUB_REF", "refs/heads/feature");
    }
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        summary: read(&summary),
        output: read(&output),
    }
}

fn pr_payload(ws: &Path) -> Value {
    json!({
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "head": {"ref": "feature", "sha": git(ws, &["rev-parse", "HEAD"])},
            "base": {"ref": "main"},
        },
    })
}

const COMMENT_INPUTS: &[(&str, &str)] = &[
    ("INPUT_WORKING_DIRECTORY", "app"),
    ("INPUT_COMMENT", "true"),
    ("INPUT_TOKEN", "test-token"),
];

#[test]
fn pull_request_checks_against_the_base_and_keeps_one_comment() {
    let (tmp, repo) = two_branch_repo("base-branch");
    let ws = workspace(tmp.path(), &repo);
    let api = CommentsApi::start(Store {
        comments: vec![(1, "LGTM".into())],
        ..Store::default()
    });

    let r = run(
        &ws,
        "pull_request",
        &pr_payload(&ws),
        &api.url,
        COMMENT_INPUTS,
    );
    let log = format!("stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    // The base was fetched, and the branch's migration is stale against it.
    assert_eq!(r.code, 1, "{log}");
    assert!(r.stdout.contains("--offline --base origin/main"), "{log}");
    assert!(
        git(&ws, &["rev-parse", "--verify", "origin/main"]).len() == 40,
        "origin/main fetched"
    );
    assert!(
        r.stdout.lines().any(|l| l.starts_with("::error ")
            && l.contains("0001_add_phone was generated from the snapshot of 0000_init")),
        "{log}"
    );
    assert!(
        r.summary.starts_with("## ❌ drizzle-drift"),
        "{}",
        r.summary
    );
    assert!(r.summary.contains("0001_add_phone"), "{}", r.summary);
    assert!(r.output.contains("exit-code=1\n"), "{}", r.output);
    assert!(
        r.output
            .contains("comment-url=https://github.com/o/r/pull/7#issuecomment-1001\n"),
        "{}",
        r.output
    );

    let requests = api.take_requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|q| (q.method.as_str(), q.path.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("GET", "/repos/o/r/issues/7/comments?per_page=100&page=1"),
            ("POST", "/repos/o/r/issues/7/comments"),
        ],
        "{log}"
    );
    assert!(requests
        .iter()
        .all(|q| q.authorization == "Bearer test-token"));
    let posted: Value = serde_json::from_str(&requests[1].body).expect("JSON body");
    let posted = posted["body"].as_str().unwrap_or_default();
    assert!(
        posted.starts_with("<!-- drizzle-drift comment: app -->\n## ❌ drizzle-drift"),
        "{posted}"
    );
    assert_eq!(
        posted.trim_end(),
        format!("<!-- drizzle-drift comment: app -->\n{}", r.summary).trim_end()
    );

    // The branch fixed (base merged, migration generated again), pushed: the same comment
    // is edited, not a second one added.
    git(&ws, &["fetch", "-q", "origin", "main"]);
    git(&ws, &["checkout", "-q", "-B", "feature", "origin/main"]);
    commit_side(&ws, "base-branch", "rebased");
    let r = run(
        &ws,
        "pull_request",
        &pr_payload(&ws),
        &api.url,
        COMMENT_INPUTS,
    );
    let log = format!("stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(r.code, 0, "{log}");
    assert!(!r.stdout.contains("::error"), "{log}");
    assert!(
        r.summary.starts_with("## ✅ drizzle-drift"),
        "{}",
        r.summary
    );
    let requests = api.take_requests();
    let calls: Vec<(&str, &str)> = requests
        .iter()
        .map(|q| (q.method.as_str(), q.path.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("GET", "/repos/o/r/issues/7/comments?per_page=100&page=1"),
            ("PATCH", "/repos/o/r/issues/comments/1001"),
        ],
        "{log}"
    );
    let comments = api.comments();
    assert_eq!(comments.len(), 2, "{comments:?}");
    assert_eq!(
        comments[0],
        (1, "LGTM".to_string()),
        "others' comments untouched"
    );
    assert!(
        comments[1]
            .1
            .starts_with("<!-- drizzle-drift comment: app -->\n## ✅ drizzle-drift"),
        "{}",
        comments[1].1
    );
}

#[test]
fn push_event_checks_the_branch_alone_without_a_comment() {
    let (tmp, repo) = two_branch_repo("base-branch");
    let ws = workspace(tmp.path(), &repo);
    let api = CommentsApi::start(Store::default());
    let payload = json!({"ref": "refs/heads/feature", "after": git(&ws, &["rev-parse", "HEAD"])});
    let r = run(&ws, "push", &payload, &api.url, COMMENT_INPUTS);
    let log = format!("stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(r.code, 0, "{log}");
    assert!(!r.stdout.contains("--base"), "{log}");
    assert!(
        r.stdout
            .contains("not a pull request event (push), no comment"),
        "{log}"
    );
    assert!(
        r.summary.starts_with("## ✅ drizzle-drift"),
        "{}",
        r.summary
    );
    assert!(r.output.contains("exit-code=0\n"), "{}", r.output);
    assert!(api.take_requests().is_empty());
}

#[test]
fn a_refused_comment_is_a_warning_and_the_check_decides_the_exit() {
    let (tmp, repo) = two_branch_repo("base-branch");
    let ws = workspace(tmp.path(), &repo);
    let api = CommentsApi::start(Store {
        refuse_writes: Some(403),
        ..Store::default()
    });
    let r = run(
        &ws,
        "pull_request",
        &pr_payload(&ws),
        &api.url,
        COMMENT_INPUTS,
    );
    let log = format!("stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(r.code, 1, "{log}");
    assert!(
        r.stdout.lines().any(|l| l.starts_with(
            "::warning title=drizzle-drift comment::writing the comment on #7 answered HTTP 403"
        )),
        "{log}"
    );
    assert!(api.comments().is_empty());
}

#[test]
fn a_project_that_cannot_be_read_is_reported_in_the_summary() {
    let (tmp, repo) = two_branch_repo("base-branch");
    let ws = workspace(tmp.path(), &repo);
    let api = CommentsApi::start(Store::default());
    let r = run(
        &ws,
        "push",
        &json!({}),
        &api.url,
        &[("INPUT_WORKING_DIRECTORY", "app/src")],
    );
    let log = format!("stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(r.code, 2, "{log}");
    assert!(
        r.stdout
            .contains("::error title=drizzle-drift could not run::"),
        "{log}"
    );
    assert!(
        r.summary.starts_with("## ❌ drizzle-drift could not run"),
        "{}",
        r.summary
    );
    assert!(r.output.contains("exit-code=2\n"), "{}", r.output);
}

#[test]
fn the_url_input_is_the_database_checked_and_its_password_is_not_printed() {
    let (tmp, repo) = two_branch_repo("base-branch");
    let ws = workspace(tmp.path(), &repo);
    let api = CommentsApi::start(Store::default());
    // Nothing listens on port 1: the check cannot run, and says so without the password.
    let r = run(
        &ws,
        "push",
        &json!({}),
        &api.url,
        &[
            ("INPUT_WORKING_DIRECTORY", "app"),
            ("INPUT_URL", "postgres://app:s3cret-pw@127.0.0.1:1/app"),
        ],
    );
    let log = format!("stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(r.code, 2, "{log}");
    // The command run reads the database (the error's suggestion may name --offline).
    let command = r
        .stdout
        .lines()
        .find(|l| l.starts_with("drizzle-drift check"))
        .unwrap_or_else(|| panic!("no command line: {log}"));
    assert!(!command.contains("--offline"), "{log}");
    assert!(r.summary.contains("127.0.0.1:1"), "{}", r.summary);
    for text in [&r.stdout, &r.stderr, &r.summary, &r.output] {
        assert!(!text.contains("s3cret-pw"), "{log}\n{}", r.summary);
    }
}

/// Every input run.sh reads is one action.yml declares and passes to it.
#[test]
fn action_yml_passes_every_input_the_script_reads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read_to_string(root.join("scripts/action/run.sh")).expect("run.sh");
    let action = std::fs::read_to_string(root.join("action.yml")).expect("action.yml");
    let mut read: Vec<&str> = script
        .match_indices("INPUT_")
        .map(|(i, _)| {
            let rest = &script[i..];
            let end = rest
                .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .collect();
    read.sort_unstable();
    read.dedup();
    assert!(read.len() >= 6, "{read:?}");
    for var in read {
        let input = var
            .trim_start_matches("INPUT_")
            .to_lowercase()
            .replace('_', "-");
        assert!(
            action.contains(&format!("        {var}: ${{{{ inputs.{input} }}}}\n")),
            "action.yml does not pass {var} from inputs.{input}"
        );
        assert!(
            action.contains(&format!("\n  {input}:\n")),
            "action.yml declares no input {input}"
        );
    }
    assert!(action.contains("run: bash \"$GITHUB_ACTION_PATH/scripts/action/run.sh\""));
}

#[test]
fn a_missing_binary_is_named() {
    let (tmp, repo) = two_branch_repo("base-branch");
    let ws = workspace(tmp.path(), &repo);
    let api = CommentsApi::start(Store::default());
    let missing = tmp.path().join("nowhere/drizzle-drift");
    let r = run(
        &ws,
        "push",
        &json!({}),
        &api.url,
        &[("DRIZZLE_DRIFT", &missing.to_string_lossy())],
    );
    let log = format!("stdout:\n{}\nstderr:\n{}", r.stdout, r.stderr);
    assert_eq!(r.code, 2, "{log}");
    assert!(
        r.stdout.starts_with(&format!(
            "::error title=drizzle-drift::{} is not on PATH",
            missing.display()
        )),
        "{log}"
    );
    assert!(r.output.contains("exit-code=2\n"), "{}", r.output);
}
