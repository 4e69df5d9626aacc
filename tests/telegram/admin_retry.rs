//! The admin check (`getChatMember`) meets a dropped connection or a
//! server error once: an administrator's `/daily` still works.

use crate::support::{TestBot, strict_fake, visible};
use fake_bot_api::{ChatSpec, Fault, User};

const GROUP: i64 = -1_001_000_000_777;

async fn daily_by_admin_after(fault: Fault) {
    let fake = strict_fake().await;
    fake.add_chat(ChatSpec::supergroup(GROUP, "Study", false));
    fake.set_admins(GROUP, &[7]);
    fake.fail_next("getChatMember", Some(GROUP), fault, 1);
    let bot = TestBot::start(&fake).await;
    let reply = bot
        .say(
            GROUP,
            Some(User::new(7, "Ann")),
            "/daily 09:00 Asia/Shanghai",
            1,
        )
        .await;
    let text = visible(&reply[0]);
    assert!(text.contains("09:00") && !text.contains("管理员"), "{text}");
    assert_eq!(fake.requests_to("getChatMember").len(), 2, "one retry");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_check_survives_a_dropped_connection() {
    daily_by_admin_after(Fault::Drop).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_check_survives_a_server_error() {
    daily_by_admin_after(Fault::ServerError).await;
}
