//! Multiple-choice documents (tests/fixtures/import/quiz-*.md) become quiz
//! questions: `choices`, `correct`, `explanation`, and an answer naming the
//! right option; what a quiz cannot take stays a plain question, with a
//! warning at its line.

use std::path::PathBuf;

use studybot::bank::{Bank, Quiz};
use studybot::import::{Import, ImportOptions, ImportedQuestion, import_markdown, to_yaml};

fn fixture(name: &str) -> (Import, Bank) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("the fixture exists");
    let options = ImportOptions {
        deck: "fixture".into(),
        title: None,
        fallback_title: name.into(),
        reserved_ids: Default::default(),
    };
    let imported = import_markdown(&text, &options);
    let bank = Bank::from_sources(vec![(path, to_yaml(&imported.deck))])
        .unwrap_or_else(|errors| panic!("the deck from {name} does not check: {errors}"));
    (imported, bank)
}

fn quiz(q: &ImportedQuestion) -> &Quiz {
    q.quiz
        .as_ref()
        .unwrap_or_else(|| panic!("“{}” is a quiz", q.title))
}

fn warnings(imported: &Import) -> Vec<(usize, &str)> {
    imported
        .warnings
        .iter()
        .map(|n| (n.line, n.why.as_str()))
        .collect()
}

#[test]
fn a_chinese_quiz_document_with_answers_in_details() {
    let (imported, bank) = fixture("quiz-zh.md");
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 5, "{:?}", imported.skipped);
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    assert_eq!(imported.deck.language, "zh");

    assert_eq!(q[0].title, "以下哪个不是 JavaScript 的基本数据类型？");
    assert_eq!(q[0].question, "以下哪个不是 JavaScript 的基本数据类型？");
    assert_eq!(
        quiz(&q[0]).choices,
        ["String", "Object", "Number", "Boolean"]
    );
    assert_eq!(quiz(&q[0]).correct, 1);
    assert_eq!(q[0].answer, "B. Object");
    let analysis = "Object 是引用类型，其余都是基本类型。基本类型按值比较，引用类型按引用比较。";
    assert_eq!(q[0].analysis.as_deref(), Some(analysis));
    assert_eq!(quiz(&q[0]).explanation.as_deref(), Some(analysis));

    assert_eq!(quiz(&q[1]).choices[2], "\"object\"", "A、 options");
    assert_eq!(q[1].answer, "C. \"object\"");

    // Two right letters: a plain question, its options kept in its text.
    assert!(q[2].quiz.is_none());
    assert_eq!(
        q[2].question,
        "下列哪些方法会改变原数组？\n\n**选项：**\n\n- A. push\n- B. map\n- C. splice\n- D. concat"
    );
    assert_eq!(q[2].answer, "AC");
    assert_eq!(
        warnings(&imported),
        [(
            57,
            "“下列哪些方法会改变原数组？”: 2 right choices (AC): a quiz takes one, so it is imported as a plain question"
        )]
    );

    // （A） options and bold 答案/解析 labels.
    assert_eq!(
        quiz(&q[3]).choices,
        ["position: static", "position: absolute", "display: block"]
    );
    assert_eq!(q[3].answer, "B. position: absolute");
    assert!(
        quiz(&q[3])
            .explanation
            .as_deref()
            .unwrap()
            .starts_with("absolute 定位")
    );

    // A) options, the answer inside <details> under a summary alone.
    assert_eq!(q[4].question, "事件循环中，微任务在什么时候执行？");
    assert_eq!(quiz(&q[4]).correct, 0);
    assert_eq!(q[4].answer, "A. 每个宏任务之后、渲染之前");
    assert_eq!(quiz(&q[4]).explanation, None);

    let loaded = bank.questions().iter().filter(|q| q.quiz.is_some()).count();
    assert_eq!(loaded, 4, "the bank reads every quiz back");
}

#[test]
fn an_english_quiz_document_in_several_shapes() {
    let (imported, _) = fixture("quiz-en.md");
    let q = &imported.deck.questions;
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    let titles: Vec<&str> = q.iter().map(|q| q.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Which layer does TCP belong to?",
            "Which port does HTTPS use by default?",
            "Which HTTP methods are idempotent?",
            "What does DNS map?",
            "Which status code means the resource was not found?",
            "Which of these is a reason to use UDP?",
            "What happens during TCP slow start?",
            "Which protocol resolves IP addresses to MAC addresses?",
        ]
    );
    // (A) options, `Correct answer:`, a long explanation cut at a sentence.
    assert_eq!(quiz(&q[0]).correct, 1);
    assert_eq!(q[0].answer, "B. Transport");
    let explanation = quiz(&q[0]).explanation.as_deref().unwrap();
    assert!(explanation.chars().count() <= 200, "{explanation}");
    assert!(q[0].analysis.as_deref().unwrap().starts_with(explanation));

    // A ticked checkbox is the answer.
    assert_eq!(quiz(&q[1]).choices, ["80", "443", "8080"]);
    assert_eq!(q[1].answer, "B. 443");

    // `Question 3 ✨` + `#### Question` + `A:` options + `#### ✔️ Answer: B, C`.
    assert!(q[2].quiz.is_none());
    assert_eq!(
        q[2].question,
        "Which HTTP methods are idempotent?\n\nOptions:\n\n- A: POST\n- B: PUT\n- C: DELETE"
    );
    assert_eq!(q[2].answer, "B, C");

    // The answer repeats the option's text, then says more.
    assert_eq!(quiz(&q[3]).correct, 0);
    assert_eq!(
        q[3].answer,
        "A. Host names to IP addresses\n\nusually over UDP port 53."
    );

    // a) b) c) options and a lowercase letter.
    assert_eq!(quiz(&q[4]).correct, 1);
    assert_eq!(q[4].answer, "B. 404 Not Found");
    assert_eq!(q[4].analysis, quiz(&q[4]).explanation);

    assert_eq!(quiz(&q[5]).correct, 0);

    // An option too long for a poll; an answer naming no letter.
    assert!(q[6].quiz.is_none());
    assert_eq!(q[6].answer, "A");
    assert!(q[7].quiz.is_none());
    assert_eq!(
        q[7].answer,
        "Address Resolution Protocol, on the local link."
    );
    let notes = warnings(&imported);
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert_eq!(notes[0].0, 19);
    assert_eq!(
        notes[1],
        (
            73,
            "“What happens during TCP slow start?”: option A is 120 characters long: a quiz allows 100, so it is imported as a plain question"
        )
    );
}

#[test]
fn plain_documents_with_lettered_lists_stay_plain() {
    let text = "# Notes\n\n### 1. What are the SOLID principles?\n\nA: Single responsibility\nB: Open/closed\n\n### 2. What is A/B testing?\n\nA. It compares two variants.\n";
    let imported = import_markdown(text, &ImportOptions::default());
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 2);
    assert!(q.iter().all(|q| q.quiz.is_none()));
    assert_eq!(q[0].answer, "A: Single responsibility\nB: Open/closed");
    assert_eq!(q[1].answer, "A. It compares two variants.");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}
