//! The tray menu: the doors open to the person right now, each unlockable in one click, then
//! "Show Doorlink" and "Quit". Rebuilt whenever the Access page changes.

use tauri::menu::{Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use doorlink_api::desktop::DesktopAccess;

const TRAY_ID: &str = "doorlink";
const UNLOCK_PREFIX: &str = "unlock:";
const SHOW: &str = "show";
const QUIT: &str = "quit";

/// One line of the tray menu for a door (kept separate from the menu so it can be tested).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrayDoor {
    pub lock_id: i64,
    pub label: String,
    pub enabled: bool,
}

/// The doors to list: open now, unlockable unless offline or restricted (A4, A6).
pub fn tray_doors(access: &DesktopAccess) -> Vec<TrayDoor> {
    let Some(page) = &access.access else {
        return Vec::new();
    };
    page.locations
        .iter()
        .flat_map(|location| &location.open_now)
        .map(|lock| TrayDoor {
            lock_id: lock.lock_id,
            label: format!("Unlock {}", lock.name),
            enabled: access.can_unlock && lock.restriction.is_none(),
        })
        .collect()
}

/// Creates the tray icon with an empty door list.
pub fn create<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let mut tray = TrayIconBuilder::with_id(TRAY_ID)
        .tooltip("Doorlink")
        .menu(&menu(app, &[])?)
        .show_menu_on_left_click(true)
        .on_menu_event(|app, event| on_menu_event(app, &event));
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    Ok(())
}

/// Replaces the door list after the Access page changed.
pub fn update<R: Runtime>(app: &AppHandle<R>, access: &DesktopAccess) -> tauri::Result<()> {
    if let Some(tray) = app.tray_by_id(TRAY_ID) {
        tray.set_menu(Some(menu(app, &tray_doors(access))?))?;
    }
    Ok(())
}

fn menu<R: Runtime>(app: &AppHandle<R>, doors: &[TrayDoor]) -> tauri::Result<Menu<R>> {
    let menu = Menu::new(app)?;
    if doors.is_empty() {
        menu.append(&MenuItem::with_id(
            app,
            "none",
            "No door open to you now",
            false,
            None::<&str>,
        )?)?;
    }
    for door in doors {
        let id = format!("{UNLOCK_PREFIX}{}", door.lock_id);
        menu.append(&MenuItem::with_id(
            app,
            id,
            &door.label,
            door.enabled,
            None::<&str>,
        )?)?;
    }
    menu.append(&PredefinedMenuItem::separator(app)?)?;
    menu.append(&MenuItem::with_id(
        app,
        SHOW,
        "Show Doorlink",
        true,
        None::<&str>,
    )?)?;
    menu.append(&MenuItem::with_id(
        app,
        QUIT,
        "Quit Doorlink",
        true,
        None::<&str>,
    )?)?;
    Ok(menu)
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: &MenuEvent) {
    let id = event.id().as_ref();
    if let Some(lock_id) = id
        .strip_prefix(UNLOCK_PREFIX)
        .and_then(|id| id.parse::<i64>().ok())
    {
        let app = app.clone();
        tauri::async_runtime::spawn(async move {
            let Some(desktop) = app.try_state::<crate::desktop::Desktop>() else {
                return;
            };
            let outcome = desktop.unlock(lock_id).await;
            crate::notify::unlock_outcome(&app, outcome);
        });
    } else if id == SHOW {
        crate::show_main_window(app);
    } else if id == QUIT {
        app.exit(0);
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use doorlink_api::common::{Reason, Window};
    use doorlink_api::me::{LockAccess, MyAccess};

    use super::*;

    fn access(can_unlock: bool) -> DesktopAccess {
        let now = Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap();
        let lock = |id, name: &str, restriction: Option<Reason>| LockAccess {
            lock_id: id,
            name: name.to_owned(),
            window: Window {
                from: now,
                until: None,
            },
            why: vec![],
            restriction,
            door_state: None,
        };
        let reader = Reason {
            cause: doorlink_api::common::Cause::ReaderRestriction,
            message: "needs the Kisi Reader".to_owned(),
            fix: "use a phone".to_owned(),
        };
        let page = MyAccess {
            person_id: 1,
            checked_at: now,
            locations: vec![crate::access::test_location(
                vec![
                    lock(1, "Front door", None),
                    lock(2, "Server room", Some(reader)),
                ],
                vec![lock(3, "Roof", None)],
                vec![],
            )],
        };
        let online = crate::access::confirmed(page);
        if can_unlock {
            online
        } else {
            crate::access::offline(online, "hub down")
        }
    }

    #[test]
    fn the_tray_lists_the_doors_open_now_and_only_those() {
        let doors = tray_doors(&access(true));
        let labels: Vec<_> = doors.iter().map(|door| door.label.as_str()).collect();
        assert_eq!(labels, ["Unlock Front door", "Unlock Server room"]);
    }

    #[test]
    fn a_reader_restricted_door_is_listed_but_cannot_be_clicked() {
        let doors = tray_doors(&access(true));
        assert!(doors[0].enabled);
        assert!(!doors[1].enabled);
    }

    #[test]
    fn offline_no_door_can_be_clicked() {
        assert!(tray_doors(&access(false)).iter().all(|door| !door.enabled));
    }
}
