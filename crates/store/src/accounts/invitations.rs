//! Invitations: staff invite by e-mail with a role they may give; redeeming one makes the account
//! (or gives an existing one the role) exactly once, before it expires.

use super::steps::{account_id_by_email, account_in, active_admin_in, person_of, record};
use super::{Account, AccountRow, Accounts, Invitation, InvitationRow, NewInvitation};
use crate::codec::millis;
use crate::error::{Result, StoreError, on_constraint};

impl Accounts<'_> {
    /// Stores an invitation; the token itself never reaches the database. In one transaction:
    /// refused at `email` when an account with that e-mail exists (an invitation never changes an
    /// account), and unless the inviter is an enabled account that may invite for this role.
    pub async fn invite(&self, new: &NewInvitation) -> Result<Invitation> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let inviter = match new.invited_by {
            Some(id) => Some(account_in(&mut tx, id).await?),
            None => None,
        };
        if let Some(inviter) = &inviter
            && (inviter.disabled_at.is_some() || !inviter.role.may_invite(new.role))
        {
            return Err(StoreError::NotAllowed(format!(
                "a {} account may not invite a {}",
                inviter.role.as_text(),
                new.role.as_text()
            )));
        }
        if account_id_by_email(&mut tx, &new.email).await?.is_some() {
            return Err(StoreError::ConflictAt {
                field: "email",
                reason: "an account with this e-mail already exists; an invitation never changes \
                         an existing account (an admin changes its role on the Accounts page)"
                    .to_owned(),
            });
        }
        if let Some(person) = new.person {
            let linked: Option<i64> =
                sqlx::query_scalar("SELECT id FROM accounts WHERE person_id = $1")
                    .bind(person.0)
                    .fetch_optional(&mut *tx)
                    .await?;
            if linked.is_some() {
                return Err(StoreError::ConflictAt {
                    field: "person_id",
                    reason: "this person already has an account".to_owned(),
                });
            }
        }
        let row: InvitationRow = sqlx::query_as(concat!(
            "INSERT INTO invitations (token_hash, email, role, person_id, invited_by, expires_at, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ",
            invitation_columns!()
        ))
        .bind(&new.token_hash)
        .bind(new.email.as_str())
        .bind(new.role.as_text())
        .bind(new.person.map(|p| p.0))
        .bind(new.invited_by.map(|a| a.0))
        .bind(millis(new.expires_at))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_constraint(
            "invitation",
            "this invitation token already exists",
            "the person does not exist",
        ))?;
        let detail = format!("as {}", new.role.as_text());
        record(
            &mut tx,
            now,
            inviter.as_ref(),
            None,
            new.email.as_str(),
            "invited",
            Some(&detail),
        )
        .await?;
        tx.commit().await?;
        row.try_into()
    }

    /// Redeems an unexpired, unused invitation with a password hash, in one transaction: creates
    /// the account and marks the invitation used. `None` when no such invitation exists, or its
    /// inviter may no longer invite for its role (disabled or demoted since). Never changes an
    /// existing account: if one with the e-mail (or for the person) appeared since the invitation,
    /// it is refused as a conflict and the invitation stays unused.
    pub async fn redeem(&self, token_hash: &str, password_hash: &str) -> Result<Option<Account>> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let invitation: Option<InvitationRow> = sqlx::query_as(concat!(
            "UPDATE invitations SET redeemed_at = $2 \
             WHERE token_hash = $1 AND redeemed_at IS NULL AND expires_at > $2 RETURNING ",
            invitation_columns!()
        ))
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(invitation) = invitation.map(Invitation::try_from).transpose()? else {
            return Ok(None);
        };
        let inviter = match invitation.invited_by {
            Some(id) => Some(account_in(&mut tx, id).await?),
            None => None,
        };
        let still_allowed = inviter
            .as_ref()
            .is_some_and(|i| i.disabled_at.is_none() && i.role.may_invite(invitation.role));
        if !still_allowed {
            return Ok(None);
        }
        let person = match invitation.person {
            Some(person) => person.0,
            None => person_of(&mut tx, &invitation.email, None, now).await?,
        };
        // A plain insert: an existing e-mail or person is a conflict, never an update.
        let row: AccountRow = sqlx::query_as(concat!(
            "INSERT INTO accounts (email, role, person_id, password_hash, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING ",
            account_columns!(),
            ""
        ))
        .bind(invitation.email.as_str())
        .bind(invitation.role.as_text())
        .bind(person)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_constraint(
            "account",
            "an account with this e-mail (or for this person) already exists; an invitation \
             never changes an existing account: sign in with it instead",
            "the person does not exist",
        ))?;
        let account = Account::try_from(row)?;
        record(
            &mut tx,
            now,
            Some(&account),
            Some(account.id),
            account.email.as_str(),
            "redeemed an invitation",
            Some(&format!("as {}", account.role.as_text())),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(account))
    }

    /// Invitations not yet redeemed nor expired, newest first.
    pub async fn pending_invitations(&self) -> Result<Vec<Invitation>> {
        let rows: Vec<InvitationRow> = sqlx::query_as(concat!(
            "SELECT ",
            invitation_columns!(),
            " FROM invitations WHERE redeemed_at IS NULL AND expires_at > $1 ORDER BY id DESC"
        ))
        .bind(millis(self.store.now()))
        .fetch_all(self.store.pool())
        .await?;
        rows.into_iter().map(Invitation::try_from).collect()
    }

    /// Withdraws a pending invitation: its token no longer redeems.
    pub async fn withdraw_invitation(&self, actor: &Account, id: i64) -> Result<()> {
        let now = millis(self.store.now());
        let mut tx = self.store.begin_write().await?;
        let actor = active_admin_in(&mut tx, actor.id).await?;
        let email: Option<String> = sqlx::query_scalar(
            "DELETE FROM invitations WHERE id = $1 AND redeemed_at IS NULL RETURNING email",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let email = email.ok_or_else(|| StoreError::not_found("pending invitation", id))?;
        record(
            &mut tx,
            now,
            Some(&actor),
            None,
            &email,
            "withdrew the invitation",
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
