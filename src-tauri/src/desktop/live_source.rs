//! Where the signed-in person's live change notices come from: the remote hub's server-sent
//! events (read with their token), or, at the front desk, this process's own hub directly.

use doorlink_api::auth::{AccountView, Role};
use doorlink_api::events::ChangeNotice;
use doorlink_store::SecretValue;
use tokio::sync::{broadcast, watch};

use super::Desktop;
use crate::hub_client::HubClient;
use doorlink_api::desktop::DesktopMode;

/// The live notices of the person signed in now.
#[derive(Debug)]
pub enum LiveSource {
    /// Nobody is signed in: nothing to follow.
    SignedOut,
    /// Front desk: the in-process hub's notices, filtered as its events route filters them.
    FrontDesk {
        notices: broadcast::Receiver<ChangeNotice>,
        viewer: AccountView,
    },
    /// A hub elsewhere: its `/api/events` with the person's token.
    Hub { hub: HubClient, token: SecretValue },
}

impl Desktop {
    /// The source to follow for the current session.
    pub async fn live_source(&self) -> LiveSource {
        let Some(connected) = self.connected().await else {
            return LiveSource::SignedOut;
        };
        if self.settings().await.mode == Some(DesktopMode::FrontDesk)
            && let Some(hub) = self.inner.front_desk.lock().await.as_ref()
            && hub.running.base_url() == connected.signed_in.hub_url
        {
            return LiveSource::FrontDesk {
                notices: hub.state.subscribe(),
                viewer: connected.signed_in.account,
            };
        }
        LiveSource::Hub {
            hub: connected.hub,
            token: connected.token,
        }
    }

    /// Changes whenever the session does: follow the new [`Desktop::live_source`] then.
    pub fn session_changes(&self) -> watch::Receiver<()> {
        self.inner.session_changes.subscribe()
    }
}

/// What the hub's events route lets `viewer` see: staff everything, a member only the notices
/// that name them (never another member's changes).
pub fn may_see(viewer: &AccountView, notice: &ChangeNotice) -> bool {
    viewer.role != Role::Member
        || viewer
            .person_id
            .is_some_and(|person| notice.people.contains(&person))
}

#[cfg(test)]
mod tests {
    use doorlink_api::events::ChangeKind;

    use super::*;

    fn notice(people: Vec<i64>) -> ChangeNotice {
        ChangeNotice {
            kind: ChangeKind::BookingChanged,
            location_id: Some(1),
            people,
            id: Some(12),
        }
    }

    fn account(role: Role, person_id: Option<i64>) -> AccountView {
        AccountView {
            id: 1,
            email: "someone@example.com".to_owned(),
            role,
            person_id,
        }
    }

    #[test]
    fn a_member_hears_only_the_notices_that_name_them() {
        let ana = account(Role::Member, Some(4));
        assert!(may_see(&ana, &notice(vec![4, 7])));
        assert!(!may_see(&ana, &notice(vec![7])));
        assert!(
            !may_see(&ana, &notice(vec![])),
            "no one in particular is staff business"
        );
    }

    #[test]
    fn staff_and_admins_hear_every_notice() {
        assert!(may_see(&account(Role::Staff, None), &notice(vec![7])));
        assert!(may_see(&account(Role::Admin, Some(1)), &notice(vec![])));
    }
}
