//! Writing the TypeScript declarations of every wire type.

use std::path::Path;

use ts_rs::{Config, ExportError, TS};

/// Where the UI expects the generated types, relative to the workspace root.
pub const TS_EXPORT_DIR: &str = "ui/src/gen";

/// Writes one `.ts` file per wire type into `dir`. Ids are `i64` in Rust but `number` in
/// TypeScript: JSON carries them as numbers and they stay far below 2^53.
pub fn export_typescript(dir: &Path) -> Result<(), ExportError> {
    let config = Config::new().with_large_int("number").with_out_dir(dir);
    macro_rules! export {
        ($($ty:ty),+ $(,)?) => {$( <$ty as TS>::export_all(&config)?; )+};
    }
    use crate::{
        audit::*, auth::*, bookings::*, catalog::*, common::*, error::*, events::*, kisi::*,
        kisi_users::*, locations::*, mappings::*, me::*, passes::*, people::*, subscriptions::*,
        sync::*,
    };
    export!(
        ErrorBody,
        ErrorDetail,
        FieldProblem,
        PageQuery,
        Page<PersonView>,
        DoorAccess,
        Reason,
        Window,
        Done,
        Role,
        SignInRequest,
        AccountView,
        SessionView,
        InvitationRequest,
        InvitationView,
        RedeemInvitationRequest,
        Visibility,
        LocationView,
        NewLocationRequest,
        UpdateLocationRequest,
        ConnectKisiRequest,
        KisiConnectionView,
        SetPlaceRequest,
        DisconnectKisiRequest,
        DisconnectKisiResponse,
        KisiPlaceView,
        KisiGroupView,
        KisiLockView,
        KisiCatalogue,
        MappingView,
        PersonView,
        NewPersonRequest,
        UpdatePersonRequest,
        CompanyView,
        CompanyRequest,
        MembershipView,
        AddMemberRequest,
        ResourceKind,
        ProductKind,
        PlanView,
        NewPlanRequest,
        ResourceView,
        NewResourceRequest,
        ProductView,
        NewProductRequest,
        VisitorPolicyView,
        NewVisitorPolicyRequest,
        HolderRef,
        ItemRef,
        PaymentStatus,
        SubscriptionItemView,
        SubscriptionView,
        NewItemRequest,
        NewSubscriptionRequest,
        SetEndRequest,
        CancelRequest,
        SetBeneficiariesRequest,
        SetItemOverrideRequest,
        BookingView,
        NewBookingRequest,
        MoveBookingRequest,
        SetInviteesRequest,
        BookingQuery,
        DayPassView,
        NewDayPassRequest,
        VisitView,
        NewVisitRequest,
        ManualGrantView,
        NewManualGrantRequest,
        EndGrantRequest,
        DisconnectMode,
        DisconnectPersonRequest,
        KisiAccountView,
        OutboxEntryView,
        SyncStatusView,
        DryRunView,
        AuditEntryView,
        AuditQuery,
        AuditPageView,
        ChangeKind,
        ChangeNotice,
        LockAccess,
        LocationAccess,
        MyAccess,
        LocationFilter,
        LockExplanation,
        UnlockRequest,
        UnlockOutcome,
        KisiLoginView,
    );
    Ok(())
}
