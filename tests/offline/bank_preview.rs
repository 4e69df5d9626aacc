//! `studybot preview`: a question as the bot would post it, optionally
//! with its reveal; an unknown id is a clear error.

use std::path::Path;

use crate::support::studybot;

fn preview(args: &[&str]) -> (Option<i32>, String, String) {
    let out = studybot(["preview"], Path::new(env!("CARGO_MANIFEST_DIR")))
        .args(args)
        .output()
        .expect("runs studybot");
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    (out.status.code(), text(out.stdout), text(out.stderr))
}

#[test]
fn a_question_shows_its_deck_title_tags_and_text_but_not_its_answer() {
    let (code, stdout, stderr) = preview(&["overfitting"]);
    assert_eq!(code, Some(0), "{stderr}");
    for part in [
        "大模型创业的希望与未来",
        "大模型如何解决过拟合问题？",
        "#training #overfitting",
        "大模型在解决过拟合问题时有哪些方法？",
    ] {
        assert!(stdout.contains(part), "missing {part:?} in {stdout}");
    }
    assert!(
        !stdout.contains("正则化"),
        "the answer stays hidden: {stdout}"
    );
}

#[test]
fn with_answer_the_reveal_follows() {
    let (code, stdout, stderr) = preview(&["overfitting", "--answer"]);
    assert_eq!(code, Some(0), "{stderr}");
    let answer = stdout.find("答案：").expect("an answer heading");
    let analysis = stdout.find("\n解析\n").expect("an analysis heading");
    assert!(answer < analysis);
    assert!(stdout[answer..analysis].contains("正则化"));
    assert!(stdout[analysis..].contains("交叉验证方法可以评估模型性能"));
}

#[test]
fn without_an_id_a_random_question_is_shown() {
    let (code, stdout, _) = preview(&["--html"]);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("大模型创业的希望与未来"), "{stdout}");
}

#[test]
fn an_unknown_id_explains_where_ids_are() {
    let (code, stdout, stderr) = preview(&["no-such-question"]);
    assert_eq!(code, Some(1));
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("no question with id `no-such-question`"),
        "{stderr}"
    );
    assert!(stderr.contains("studybot check"), "{stderr}");
}

/// `--discord`: each message's content under a line giving its length, then the buttons.
#[test]
fn discord_preview_prints_each_messages_content_as_sent() {
    let (code, stdout, stderr) = preview(&["overfitting", "--answer", "--discord"]);
    assert_eq!(code, Some(0), "{stderr}");
    let mut messages = 0;
    for part in stdout.split("[Discord message ").skip(1) {
        let (header, rest) = part.split_once("]\n").expect("a header line");
        let length: usize = header
            .rsplit(": ")
            .next()
            .and_then(|l| l.strip_suffix(" characters"))
            .and_then(|l| l.parse().ok())
            .expect("a length");
        let content = rest
            .split("\n[button: ")
            .next()
            .unwrap()
            .split("\n\n----------------------------------------")
            .next()
            .unwrap()
            .trim_end_matches('\n');
        assert_eq!(content.chars().count(), length, "{content:?}");
        assert!(length <= 2000);
        messages += 1;
    }
    assert_eq!(messages, 2, "{stdout}");
    assert!(stdout.contains("\\#training \\#overfitting"), "{stdout}");
    assert!(stdout.contains("**答案："), "{stdout}");
    assert!(stdout.contains("[button: "), "{stdout}");
    let (code, _, _) = preview(&["overfitting", "--html", "--discord"]);
    assert_eq!(code, Some(2));
}
