//! Every command that prints ends quietly when its reader goes away
//! (`studybot preview | head`): no panic, no "Broken pipe" message.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::Stdio;

/// Runs studybot with its stdout closed before it writes; returns stderr.
fn stderr_with_stdout_closed(args: &[&str]) -> String {
    let mut child = crate::support::studybot(args, Path::new(env!("CARGO_MANIFEST_DIR")))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs studybot");
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("reads stderr");
    let status = child.wait().expect("waits");
    const SIGPIPE: i32 = 13;
    assert!(
        status.success() || status.signal() == Some(SIGPIPE),
        "{args:?}: {status}\n{stderr}"
    );
    stderr
}

#[test]
fn preview_check_and_import_end_quietly_on_a_closed_pipe() {
    let seed = crate::support::seed_path();
    let seed = seed.to_str().expect("a UTF-8 path");
    for args in [
        &["preview", "overfitting", "--answer"][..],
        &["check"],
        &["import", seed, "--deck", "seed"],
    ] {
        let stderr = stderr_with_stdout_closed(args);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}
