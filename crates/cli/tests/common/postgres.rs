//! A fresh PostgreSQL database per test, on the server `DOORLINK_TEST_POSTGRES_URL` names
//! (`tests/run` starts a throwaway cluster; without the variable the tests skip and say so).

use sqlx::{Connection, Executor};

/// The variable naming the test server (its role needs CREATEDB).
pub(crate) const TEST_POSTGRES_ENV: &str = "DOORLINK_TEST_POSTGRES_URL";

/// A 64-hex-digit secret key, as every hub of one PostgreSQL database shares.
pub(crate) const TEST_SECRET_KEY: &str =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

#[allow(
    clippy::print_stdout,
    reason = "a skipped test says why it did nothing"
)]
/// The URL of a new, empty database `t_<random>` on the test server, or `None` (printing why)
/// when no server is configured.
pub(crate) async fn fresh_database() -> Option<String> {
    let Ok(server) = std::env::var(TEST_POSTGRES_ENV) else {
        println!("skipped: {TEST_POSTGRES_ENV} is not set");
        return None;
    };
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(&server)
        .await
        .expect("the test PostgreSQL server answers");
    let name = format!("t_{:016x}", rand::random::<u64>());
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .expect("CREATE DATABASE (the test role needs CREATEDB)");
    admin.close().await.ok();
    let mut url = url::Url::parse(&server).expect("DOORLINK_TEST_POSTGRES_URL is a URL");
    url.set_path(&name);
    Some(url.to_string())
}

/// `url` with `password` set (the test cluster trusts loopback, so any password connects).
pub(crate) fn with_password(url: &str, password: &str) -> String {
    let mut url = url::Url::parse(url).expect("a URL");
    url.set_password(Some(password)).expect("a URL with a user");
    url.to_string()
}
