//! Conformance: the per-user rate limit (429 + `Retry-After`) and injected faults (latency, 500s,
//! 429 bursts, dropped connections, answers held after Kisi acted) (kisi-api.md, "General" and
//! "The emulator").

use crate::common;

use std::time::{Duration, Instant};

use common::{Answer, Kisi, RATE_LIMITED, SERVER_ERROR, hive, start};
use kisi_emulator::{EmulatorConfig, Fault};
use reqwest::{Method, StatusCode};

fn with_limit(per_second: u32) -> EmulatorConfig {
    EmulatorConfig {
        rate_limit_per_second: Some(per_second),
        ..EmulatorConfig::default()
    }
}

/// Answers of `n` back-to-back `GET /user` calls with `key`.
async fn burst(kisi: &Kisi, key: &str, n: usize) -> Vec<Answer> {
    let mut answers = Vec::new();
    for _ in 0..n {
        answers.push(kisi.get(key, "/user").await);
    }
    answers
}

fn statuses(answers: &[Answer]) -> Vec<StatusCode> {
    answers.iter().map(|answer| answer.status).collect()
}

#[tokio::test]
async fn a_user_past_five_requests_a_second_gets_429_with_retry_after() {
    let kisi = start(with_limit(5)).await;
    // The bucket holds five; twelve back-to-back requests cannot all refill in time.
    let answers = burst(&kisi, kisi.owner_key(), 12).await;
    let statuses = statuses(&answers);
    assert!(
        statuses[..5].iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    let limited = answers
        .iter()
        .find(|answer| answer.status == StatusCode::TOO_MANY_REQUESTS)
        .unwrap_or_else(|| panic!("no 429 in {statuses:?}"));
    assert_eq!(limited.code(), RATE_LIMITED);
    assert_eq!(limited.body["error"], "Too many requests");
    let retry_after: u64 = limited.header("retry-after").parse().unwrap();
    assert!(retry_after >= 1);

    // Moving the emulator's clock a second refills the bucket.
    kisi.emulator
        .control()
        .advance_clock(Duration::from_secs(1));
    assert_eq!(
        kisi.get(kisi.owner_key(), "/user").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn all_logins_of_one_user_share_the_budget_but_other_users_do_not() {
    let kisi = start(with_limit(2)).await;
    kisi.emulator.control().set_rate_limit(None);
    kisi.managed_user("ana@example.com").await;
    kisi.managed_user("ben@example.com").await;
    let ana_phone = kisi.login_for("ana@example.com").await;
    let ana_desktop = kisi.login_for("ana@example.com").await;
    let ben = kisi.login_for("ben@example.com").await;
    kisi.emulator.control().set_rate_limit(Some(2));

    assert_eq!(kisi.get(&ana_phone, "/user").await.status, StatusCode::OK);
    assert_eq!(kisi.get(&ana_desktop, "/user").await.status, StatusCode::OK);
    let mut third = kisi.get(&ana_phone, "/user").await.status;
    // Retry once in case the machine was slow enough to refill a token in between.
    if third == StatusCode::OK {
        third = kisi.get(&ana_desktop, "/user").await.status;
    }
    assert_eq!(third, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(kisi.get(&ben, "/user").await.status, StatusCode::OK);
}

#[tokio::test]
async fn requests_without_a_key_are_limited_per_ip() {
    let kisi = start(with_limit(3)).await;
    let mut statuses = Vec::new();
    for _ in 0..10 {
        statuses.push(kisi.call(Method::GET, None, "/user", None).await.status);
    }
    assert_eq!(statuses[0], StatusCode::UNAUTHORIZED);
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn an_injected_burst_of_429s_answers_exactly_the_next_requests() {
    let kisi = hive().await;
    kisi.emulator
        .control()
        .inject(Fault::TooManyRequests { count: 2 });
    let answers = burst(&kisi, kisi.owner_key(), 3).await;
    let too_many = StatusCode::TOO_MANY_REQUESTS;
    assert_eq!(statuses(&answers), vec![too_many, too_many, StatusCode::OK]);
    assert_eq!(answers[0].header("retry-after"), "1");
}

#[tokio::test]
async fn injected_server_errors_fail_the_requested_fraction_deterministically() {
    let kisi = hive().await;
    kisi.emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 0.5 });
    let answers = burst(&kisi, kisi.owner_key(), 4).await;
    let error = StatusCode::INTERNAL_SERVER_ERROR;
    assert_eq!(
        statuses(&answers),
        vec![StatusCode::OK, error, StatusCode::OK, error]
    );
    assert_eq!(answers[1].code(), SERVER_ERROR);
    assert_eq!(answers[1].body["error"], "Something went wrong");
    kisi.emulator.control().clear_faults();
    let after = burst(&kisi, kisi.owner_key(), 3).await;
    assert_eq!(statuses(&after), vec![StatusCode::OK; 3]);
}

#[tokio::test]
async fn a_dropped_connection_closes_without_any_response() {
    let kisi = hive().await;
    kisi.emulator
        .control()
        .inject(Fault::DropConnections { count: 1 });
    let url = format!("{}/user", kisi.emulator.base_url());
    let auth = format!("KISI-LOGIN {}", kisi.owner_key());
    let dropped = kisi
        .http
        .get(&url)
        .header("Authorization", &auth)
        .send()
        .await;
    let error = dropped.expect_err("no response at all");
    assert!(error.status().is_none());
    let next = kisi
        .http
        .get(&url)
        .header("Authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(next.status(), StatusCode::OK);
}

#[tokio::test]
async fn injected_latency_delays_answers_until_cleared() {
    let kisi = hive().await;
    kisi.emulator
        .control()
        .inject(Fault::Latency(Duration::from_millis(300)));
    let started = Instant::now();
    let answer = kisi.get(kisi.owner_key(), "/user").await;
    // Only a lower bound: the emulator waits at least this long; how much longer is the machine's.
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn the_control_api_is_never_faulted() {
    let kisi = hive().await;
    kisi.emulator
        .control()
        .inject(Fault::DropConnections { count: 5 });
    kisi.emulator
        .control()
        .inject(Fault::ServerErrors { fraction: 1.0 });
    let state = kisi
        .http
        .get(format!("{}/__emulator/state", kisi.emulator.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(state.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_held_answer_comes_after_kisi_acted() {
    // The adversary: a client that dies while its create is unanswered. Kisi must already hold
    // the user while the answer is still on its way (`Fault::Latency` waits before acting).
    let kisi = std::sync::Arc::new(hive().await);
    kisi.emulator
        .control()
        .inject(Fault::HeldAnswers(Duration::from_secs(600)));
    let creating = tokio::spawn({
        let kisi = std::sync::Arc::clone(&kisi);
        async move { kisi.managed_user("held@example.com").await }
    });
    let mut created = false;
    for _ in 0..500 {
        if kisi
            .emulator
            .control()
            .state()
            .users
            .iter()
            .any(|u| u.email == "held@example.com")
        {
            created = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(created, "Kisi never carried out the held request");
    assert!(!creating.is_finished(), "the answer was not held");
    creating.abort();
}
