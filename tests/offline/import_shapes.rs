//! Each shape real interview documents use, from a fixture document of its
//! own (tests/fixtures/import/): how many questions come out, the exact
//! text of every field, the tags from grouping headings, and what is
//! skipped, at which line and why.

use std::path::PathBuf;

use studybot::bank::Bank;
use studybot::import::{Import, ImportOptions, ImportedQuestion, import_markdown, to_yaml};

fn fixture(name: &str) -> Import {
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
    Bank::from_sources(vec![(path, to_yaml(&imported.deck))])
        .unwrap_or_else(|errors| panic!("the deck from {name} does not check: {errors}"));
    imported
}

/// Title, question, answer and analysis, word for word.
fn assert_question(q: &ImportedQuestion, fields: (&str, &str, &str, Option<&str>)) {
    let (title, question, answer, analysis) = fields;
    assert_eq!(q.title, title);
    assert_eq!(q.question, question, "question of {title}");
    assert_eq!(q.answer, answer, "answer of {title}");
    assert_eq!(q.analysis.as_deref(), analysis, "analysis of {title}");
}

fn skipped(imported: &Import) -> Vec<(usize, &str)> {
    imported
        .skipped
        .iter()
        .map(|n| (n.line, n.why.as_str()))
        .collect()
}

#[test]
fn chinese_labels_groups_answer_only_and_a_closing_summary() {
    let imported = fixture("labels-zh.md");
    let deck = &imported.deck;
    assert_eq!(deck.title, "分布式缓存：面试题与答案解析");
    assert_eq!(deck.language, "zh");
    assert_eq!(
        deck.questions.len(),
        4,
        "bold numbered lines in the overview structure prose, they do not ask"
    );
    assert!(imported.skipped.is_empty(), "{:?}", imported.skipped);
    let q = &deck.questions;
    assert_question(
        &q[0],
        (
            "缓存穿透",
            "什么是缓存穿透？如何应对？",
            "缓存穿透指查询一个一定不存在的数据，请求每次都落到数据库。\n\n- **布隆过滤器：** 先判断键是否可能存在。\n- **缓存空值：** 对不存在的键也缓存一个短期的空结果。",
            Some("关键在于拦截不存在的键，而不是让数据库承担全部压力。"),
        ),
    );
    assert_question(
        &q[1],
        (
            "缓存雪崩",
            "缓存雪崩",
            "大量键在同一时刻过期，请求一起打到数据库。给过期时间加上随机抖动可以缓解。",
            Some("这是“没有题目标签”的写法：标题就是问题。"),
        ),
    );
    assert_question(
        &q[2],
        (
            "缓存击穿是什么？",
            "热点键过期的瞬间会发生什么？",
            "大量并发请求同时重建同一个热点键。可以用互斥锁或逻辑过期来避免。",
            None,
        ),
    );
    assert_question(
        &q[3],
        (
            "一致性",
            "先更新数据库还是先删缓存？",
            "通常先更新数据库，再删除缓存，并配合重试。",
            None,
        ),
    );
    for question in q {
        assert_eq!(
            question.tags,
            ["面试题库及答案解析"],
            "the grouping heading is a tag"
        );
        assert!(
            !question.answer.contains("总结"),
            "the closing section is not swallowed"
        );
    }
}

#[test]
fn headings_at_any_level_own_their_deeper_headings_but_not_the_footer() {
    let imported = fixture("headings-en.md");
    let q = &imported.deck.questions;
    assert_eq!(imported.deck.title, "12 Container Interview Questions");
    assert_eq!(imported.deck.language, "en");
    assert_eq!(q.len(), 4);
    assert_question(
        &q[0],
        (
            "What is a _container_?",
            "What is a _container_?",
            "A **container** is a process isolated by namespaces and limited by cgroups.\n\n### Key Parts\n\n- Namespaces\n- Cgroups\n\n#### Why it matters\n\nIt starts in milliseconds.",
            None,
        ),
    );
    assert_question(
        &q[1],
        (
            "How do images differ from containers",
            "How do images differ from containers",
            "An image is a read-only template; a container is a running instance of it.",
            None,
        ),
    );
    assert_question(
        &q[2],
        (
            "Explain the copy-on-write layer.",
            "Explain the copy-on-write layer.",
            "Each container adds a thin writable layer on top of the image layers.\n\n```dockerfile\n# Base layer\nFROM alpine\n## not a heading: this is a comment in a code block\n```",
            None,
        ),
    );
    assert_question(
        &q[3],
        (
            "Why are containers not virtual machines?",
            "Why are containers not virtual machines?",
            "They share the host kernel.",
            None,
        ),
    );
    assert!(q.iter().all(|q| q.tags.is_empty()));
}

#[test]
fn bold_question_lines_with_and_without_answer_labels() {
    let imported = fixture("bold-lines.md");
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 5);
    assert_eq!(imported.deck.language, "en");
    assert_question(
        &q[0],
        (
            "What does `git rebase` do?",
            "What does `git rebase` do?",
            "It replays your commits on top of another base.",
            None,
        ),
    );
    assert_question(
        &q[1],
        (
            "What is a detached HEAD?",
            "What is a detached HEAD?",
            "HEAD points at a commit instead of a branch.",
            Some("Commits made there belong to no branch until you create one."),
        ),
    );
    assert_question(
        &q[2],
        (
            "How do you undo the last commit but keep the changes?",
            "How do you undo the last commit but keep the changes?",
            "`git reset --soft HEAD~1`",
            None,
        ),
    );
    assert_question(
        &q[3],
        (
            "什么是 cherry-pick？",
            "什么是 cherry-pick？",
            "把某个提交的改动应用到当前分支。",
            None,
        ),
    );
    assert_question(
        &q[4],
        (
            "Why would `git push` be rejected?",
            "Why would `git push` be rejected?",
            "The remote has commits you do not have; fetch and integrate them first.",
            None,
        ),
    );
    assert_eq!(
        skipped(&imported),
        [(
            27,
            "“Which command shows who changed a line?”: no answer (a question needs one)"
        )]
    );
}

#[test]
fn details_blocks_with_their_section_tags() {
    let imported = fixture("details.md");
    let q = &imported.deck.questions;
    assert_eq!(imported.deck.title, "DevOps");
    assert_eq!(q.len(), 3);
    assert_question(
        &q[0],
        (
            "What is continuous integration?",
            "What is continuous integration?",
            "Merging every developer's work into a shared branch several times a day,\neach merge verified by an automated build and tests.",
            None,
        ),
    );
    assert_question(
        &q[1],
        (
            "What is a blue-green deployment?",
            "What is a blue-green deployment?",
            "Two identical environments: one serves traffic while the other gets the new release.\n\n### Switching\n\nTraffic moves by changing the router, so rolling back is instant.",
            None,
        ),
    );
    assert_question(
        &q[2],
        (
            "What is an SLO?",
            "What is an SLO?",
            "A target level for a service level indicator, such as 99.9% of requests under 300 ms.",
            None,
        ),
    );
    assert_eq!(q[0].tags, ["questions", "basics"]);
    assert_eq!(q[2].tags, ["questions", "monitoring"]);
    assert_eq!(
        skipped(&imported),
        [(
            26,
            "“What is the difference between monitoring and observability?”: no answer (a question needs one)"
        )]
    );
}

#[test]
fn tables_with_question_and_answer_columns() {
    let imported = fixture("tables.md");
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 4, "the Name | Version table is not questions");
    assert_eq!(
        imported.deck.language, "en",
        "two of four questions are Chinese: not a majority"
    );
    assert_question(
        &q[0],
        (
            "What is a tuple?",
            "What is a tuple?",
            "An immutable sequence.",
            Some("Being immutable, it can be a dict key."),
        ),
    );
    assert_question(
        &q[1],
        (
            "How do you copy a list?",
            "How do you copy a list?",
            "`new = old[:]` or `list(old)`",
            None,
        ),
    );
    assert_question(
        &q[2],
        (
            "字典的键有什么要求？",
            "字典的键有什么要求？",
            "必须可哈希。",
            None,
        ),
    );
    assert_question(
        &q[3],
        (
            "`dict.get` 和下标访问有何不同？",
            "`dict.get` 和下标访问有何不同？",
            "键不存在时 `get` 返回默认值而不是抛出 KeyError。",
            None,
        ),
    );
    assert_eq!(q[0].tags, ["lists-and-tuples"]);
    assert_eq!(q[2].tags, ["字典"], "tags may be Chinese");
    assert_eq!(
        skipped(&imported),
        [(9, "“Is `[]` truthy?”: no answer (a question needs one)")]
    );
}

#[test]
fn list_items_that_are_headings_keep_their_deeper_headings() {
    let imported = fixture("list-headings.md");
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 2);
    assert_question(
        &q[0],
        (
            "What is a block?",
            "What is a block?",
            "A block is a batch of transactions with a header that links to the previous block.\n\n#### The header\n\nIt holds the previous hash, a timestamp and a nonce.",
            None,
        ),
    );
    assert_question(
        &q[1],
        (
            "What is proof of work?",
            "What is proof of work?",
            "Miners search for a nonce that makes the block hash fall below a target.",
            None,
        ),
    );
    assert_eq!(
        skipped(&imported),
        [(
            15,
            "“What is a smart contract?”: no answer (a question needs one)"
        )]
    );
}

#[test]
fn traps_a_missing_space_a_heading_in_code_and_a_reference_list() {
    let imported = fixture("traps.md");
    let q = &imported.deck.questions;
    assert_eq!(q.len(), 2, "the heading inside the code fence is text");
    assert_eq!(
        imported.deck.language, "en",
        "one Chinese reference does not make the deck Chinese"
    );
    assert_question(
        &q[0],
        (
            "How do you read a file line by line?",
            "Show a loop that reads `input.txt` line by line.",
            "```bash\nwhile IFS= read -r line; do\n#### 2. this is not a question, it is inside a code fence\n  printf '%s\\n' \"$line\"\ndone < input.txt\n```",
            Some("`IFS=` keeps leading spaces and `-r` keeps backslashes."),
        ),
    );
    assert_question(
        &q[1],
        (
            "What does `set -e` do?",
            "What does `set -e` change in a script?",
            "The script exits as soon as a command fails.",
            None,
        ),
    );
    assert!(
        !q[1].answer.contains("References"),
        "the reference list is not swallowed"
    );
    assert_eq!(q[0].tags, ["section-b"]);
    let warnings: Vec<(usize, &str)> = imported
        .warnings
        .iter()
        .map(|n| (n.line, n.why.as_str()))
        .collect();
    assert_eq!(
        warnings,
        [(
            5,
            "read `####1. How do you read a file line by line?` as a heading: Markdown needs a space after the #"
        )]
    );
}

#[test]
fn the_seed_pasted_twice_warns_about_every_duplicate() {
    let seed = crate::support::seed();
    let twice = format!("{seed}\n{seed}");
    let options = ImportOptions {
        deck: "twice".into(),
        title: None,
        fallback_title: "t".into(),
        reserved_ids: Default::default(),
    };
    let imported = import_markdown(&twice, &options);
    assert_eq!(imported.deck.questions.len(), 16);
    assert_eq!(imported.warnings.len(), 8, "{:?}", imported.warnings);
    assert!(
        imported.warnings[0]
            .why
            .contains("the same question as on line"),
        "{:?}",
        imported.warnings[0]
    );
}

#[test]
fn a_question_label_on_its_own_line_and_a_bold_title_over_labels() {
    let imported = fixture("label-blocks-zh.md");
    let q = &imported.deck.questions;
    assert_eq!(imported.deck.title, "消息队列：面试题与解析");
    assert_eq!(q.len(), 2);
    assert_question(
        &q[0],
        (
            "为什么要引入消息队列？",
            "**为什么要引入消息队列？**",
            "削峰填谷、系统解耦、异步处理。",
            Some("代价是系统复杂度和一致性问题。"),
        ),
    );
    assert_question(
        &q[1],
        (
            "如何保证消息不丢失？",
            "从生产者、队列和消费者三端分别说明。",
            "生产者确认、队列持久化、消费者处理成功后再提交位点。",
            None,
        ),
    );
    assert!(q.iter().all(|q| q.tags == ["面试题库及答案解析"]));
    assert!(
        !q[1].answer.contains("结语"),
        "the closing section is not swallowed"
    );
}

#[test]
fn deeper_grouping_headings_between_questions_are_not_swallowed() {
    let imported = fixture("mixed-levels-zh.md");
    let q = &imported.deck.questions;
    assert_eq!(imported.deck.title, "主题：智能制造中的质量控制");
    assert_eq!(q.len(), 5);
    assert_question(
        &q[3],
        (
            "如何降低误报？",
            "如何降低误报？",
            "结合多传感器数据并调整阈值。",
            None,
        ),
    );
    assert_question(
        &q[4],
        (
            "实现一个移动平均。",
            "实现一个移动平均。",
            "```python\ndef moving_average(xs, k):\n    return [sum(xs[i:i + k]) / k for i in range(len(xs) - k + 1)]\n```",
            None,
        ),
    );
}
