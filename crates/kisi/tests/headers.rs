//! What goes on the wire: the headers Kisi needs on every request. A recording socket stands in
//! for Kisi here because the emulator does not expose the raw request.

#![allow(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] fns: a broken socket should stop the test"
)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread;

use kisi::{Connection, Integration, KisiClient, KisiConfig, NewGroup, RetryPolicy, Secret};

/// Accepts one connection, answers `answer`, and returns the request's head (lowercased).
fn record_one_request(answer: &'static str) -> (String, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line == "\r\n" || line.is_empty() {
                break;
            }
            head.push_str(&line);
        }
        stream.write_all(answer.as_bytes()).unwrap();
        head.to_lowercase()
    });
    (base_url, handle)
}

fn client(base_url: String, integration: Option<Integration>) -> KisiClient {
    KisiClient::new(KisiConfig {
        connection: Connection {
            integration,
            retry: RetryPolicy::never(),
            ..Connection::new(base_url)
        },
        credential: Secret::new("the-login-secret"),
    })
    .unwrap()
}

#[tokio::test]
async fn every_request_carries_the_kisi_login_and_json_headers() {
    let (base_url, recorded) = record_one_request(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 41\r\n\r\n{\"id\":1,\"name\":\"Room\",\"description\":null}",
    );
    let group = client(base_url, None)
        .create_group(&NewGroup {
            name: "Room".to_owned(),
            description: None,
        })
        .await
        .unwrap();
    assert_eq!(group.name, "Room");
    let head = recorded.join().unwrap();
    assert!(head.starts_with("post /groups http/1.1"), "{head}");
    assert!(
        head.contains("authorization: kisi-login the-login-secret\r\n"),
        "{head}"
    );
    assert!(head.contains("accept: application/json\r\n"), "{head}");
    assert!(
        head.contains("content-type: application/json\r\n"),
        "{head}"
    );
    assert!(
        !head.contains("x-kisi-integration"),
        "no integration configured: {head}"
    );
}

#[tokio::test]
async fn an_integration_partner_identifies_itself() {
    let (base_url, recorded) = record_one_request("HTTP/1.1 204 No Content\r\n\r\n");
    let integration = Integration {
        name: "doorlink".to_owned(),
        contact: Some("ops@doorlink.test".to_owned()),
    };
    client(base_url, Some(integration))
        .sign_out()
        .await
        .unwrap();
    let head = recorded.join().unwrap();
    assert!(head.starts_with("delete /login http/1.1"), "{head}");
    assert!(
        head.contains("x-kisi-integration-identifier: doorlink\r\n"),
        "{head}"
    );
    assert!(
        head.contains("x-kisi-integration-contact: ops@doorlink.test\r\n"),
        "{head}"
    );
}

#[tokio::test]
async fn an_integration_without_a_contact_sends_only_its_name() {
    let (base_url, recorded) = record_one_request("HTTP/1.1 204 No Content\r\n\r\n");
    client(base_url, Some(Integration::doorlink()))
        .sign_out()
        .await
        .unwrap();
    let head = recorded.join().unwrap();
    assert!(
        head.contains("x-kisi-integration-identifier: doorlink\r\n"),
        "{head}"
    );
    assert!(!head.contains("x-kisi-integration-contact"), "{head}");
}
