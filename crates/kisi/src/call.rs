//! One request as an endpoint describes it: method, path, query, body, and the lock it is about.

use reqwest::Method;

use crate::models::LockId;

/// One request, as endpoint files describe it.
#[derive(Debug, Clone)]
pub(crate) struct Call {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) body: Option<serde_json::Value>,
    /// The lock of an unlock call, so its refusals can name the door.
    pub(crate) lock_id: Option<LockId>,
}

impl Call {
    fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            lock_id: None,
        }
    }

    /// Whether sending the request twice does no more than sending it once. A POST creates
    /// (a user, an assignment, an access link, a login) or unlocks: sent twice, Kisi may act twice.
    pub(crate) fn is_idempotent(&self) -> bool {
        self.method != Method::POST
    }

    pub(crate) fn get(path: impl Into<String>) -> Self {
        Self::new(Method::GET, path)
    }

    pub(crate) fn post(path: impl Into<String>, body: serde_json::Value) -> Self {
        Self {
            body: Some(body),
            ..Self::new(Method::POST, path)
        }
    }

    pub(crate) fn delete(path: impl Into<String>) -> Self {
        Self::new(Method::DELETE, path)
    }

    pub(crate) fn query(mut self, key: &'static str, value: String) -> Self {
        self.query.push((key, value));
        self
    }

    pub(crate) fn for_lock(mut self, lock_id: LockId) -> Self {
        self.lock_id = Some(lock_id);
        self
    }
}
