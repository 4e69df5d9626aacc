//! `/readyz` on a replica that does not hold the gateway: it hears no
//! heartbeat acknowledgements, so when Discord has not answered it for a
//! minute it asks something cheap over REST (`GET /users/@me`). The
//! gateway's holder hears an acknowledgement every ~40 s and never asks.

use std::sync::Arc;

use tokio::sync::watch;
use twilight_http::Client;

use crate::domain::Platform;
use crate::ops::telemetry;

/// Runs until `stop`, only while `/readyz` is served.
pub(super) async fn keep_in_touch(http: Arc<Client>, stop: watch::Receiver<bool>) {
    let ask = || async {
        match http.current_user().await {
            Ok(_) => true,
            Err(e) => {
                log::warn!("Discord did not answer GET /users/@me: {e}");
                false
            }
        }
    };
    telemetry::keep_in_touch(Platform::Discord, ask, stop).await;
}
