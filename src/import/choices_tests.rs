//! The quiz-choice reader on the shapes documents bring: lettered lists,
//! answers naming letters or texts, explanations, and what stays plain.

use super::*;

fn options_of(body: &str) -> Option<(String, Options)> {
    take_options(body, |_| false)
}

#[test]
fn options_in_their_usual_spellings() {
    for list in [
        "- A. one\n- B. two\n- C. three",
        "A、one\nB、two\nC、three",
        "A) one\n\nB) two\n\nC) three",
        "(A) one\n(B) two\n(C) three",
        "（A）one\n（B）two\n（C）three",
        "A: one\nB: two\nC: three",
        "- [ ] A. one\n- [ ] B. two\n- [ ] C. three",
        "**A.** one\n**B.** two\n**C.** three",
        "a) one\nb) two\nc) three",
    ] {
        let body = format!("Which?\n\n**选项：**\n\n{list}\n\nAnswer: B\n");
        let (rest, options) = options_of(&body).unwrap_or_else(|| panic!("{list}"));
        assert_eq!(options.choices, ["one", "two", "three"], "{list}");
        assert_eq!(rest, "Which?\n\n\nAnswer: B\n", "{list}");
    }
}

#[test]
fn not_options() {
    assert!(options_of("A. one\nC. three\n").is_none(), "B missing");
    assert!(options_of("B. one\nC. two\n").is_none(), "not from A");
    assert!(options_of("A. one\nnot an option\n").is_none(), "one item");
    assert!(
        options_of("- [ ] one\n- [ ] two\n").is_none(),
        "nothing ticked"
    );
    assert!(
        options_of("Question\n\nAnswer: yes\n\nA. one\nB. two\n").is_none(),
        "a list in the answer is the answer's"
    );
    assert!(options_of("A.B testing\nB.C\n").is_none());
}

#[test]
fn the_right_letter_and_the_answer_text() {
    let options = Options {
        choices: vec!["one".into(), "two".into(), "three".into()],
        checked: vec![],
    };
    let quiz = |answer: &str| match resolve(&options, answer, Some("Because. More.")) {
        Resolved::Quiz { answer, quiz } => (answer, quiz.correct),
        other => panic!("{answer}: {other:?}"),
    };
    assert_eq!(quiz("B"), ("B. two".into(), 1));
    assert_eq!(quiz("**B**"), ("B. two".into(), 1));
    assert_eq!(quiz("B. two"), ("B. two".into(), 1));
    assert_eq!(quiz("C，因为如此"), ("C. three\n\n因为如此".into(), 2));
    assert_eq!(quiz("two"), ("B. two".into(), 1));
    assert_eq!(quiz("B\n\nwhy it is"), ("B. two\n\nwhy it is".into(), 1));
    assert_eq!(resolve(&options, "Both work", None), Resolved::Plain(None));
    assert_eq!(resolve(&options, "D", None), Resolved::Plain(None));
    let Resolved::Plain(Some(why)) = resolve(&options, "AC", None) else {
        panic!("AC is two letters");
    };
    assert!(why.starts_with("2 right choices (AC)"), "{why}");
    assert!(matches!(
        resolve(&options, "A, C", None),
        Resolved::Plain(Some(_))
    ));
}

#[test]
fn explanations_fit_a_poll() {
    assert_eq!(explanation("Short.").as_deref(), Some("Short."));
    assert_eq!(
        explanation("Calls `__init__` **first**.").as_deref(),
        Some("Calls __init__ first.")
    );
    let long = format!("First **sentence**. {}", "x".repeat(300));
    assert_eq!(explanation(&long).as_deref(), Some("First sentence."));
    assert_eq!(explanation(&"y".repeat(300)), None);
    assert_eq!(explanation("a\nb\nc\nd").as_deref(), None);
    assert_eq!(
        explanation("One.\nTwo.\nThree.\nFour.").as_deref(),
        Some("One.\nTwo.\nThree.")
    );
}
