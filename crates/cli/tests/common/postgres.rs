//! A fresh PostgreSQL database per test, on the server `DOORLINK_TEST_POSTGRES_URL` names
//! (`tests/run` starts a throwaway cluster; without the variable the tests skip and say so).

/// The variable naming the test server (its role needs CREATEDB).
pub(crate) const TEST_POSTGRES_ENV: &str = "DOORLINK_TEST_POSTGRES_URL";

/// A 64-hex-digit secret key, as every hub of one PostgreSQL database shares.
pub(crate) const TEST_SECRET_KEY: &str =
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

/// The URL of a new, empty database on the test server, or `None` (printing why) when no server
/// is configured.
pub(crate) async fn fresh_database() -> Option<String> {
    doorlink_store::testing::postgres_or_skip()
        .await
        .expect("the test PostgreSQL server creates a database (its role needs CREATEDB)")
}

/// `url` with `password` set (the test cluster trusts loopback, so any password connects).
pub(crate) fn with_password(url: &str, password: &str) -> String {
    let mut url = url::Url::parse(url).expect("a URL");
    url.set_password(Some(password)).expect("a URL with a user");
    url.to_string()
}
