//! The main window comes back where it was: its size, position and whether it was maximized are
//! kept with tauri-plugin-store (beside the settings), saved a moment after the last move or
//! resize and on close, and restored on start, moved onto a monitor that is still there.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::{Manager, PhysicalPosition, PhysicalSize, Runtime, WebviewWindow, Window, WindowEvent};
use tauri_plugin_store::StoreExt;

/// The key under which the store keeps the window's place.
const STORE_KEY: &str = "window";
/// A drag or resize sends many events: save once it has settled.
const SETTLE: Duration = Duration::from_millis(500);
/// Never restore a window smaller than its configured minimum (tauri.conf.json).
const MIN_SIZE: (u32, u32) = (380, 480);

/// The window's place in physical pixels; `x`/`y`/`width`/`height` are the last un-maximized ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct WindowState {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
    pub maximized: bool,
}

/// A monitor's usable area in physical pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonitorArea {
    pub x: i32,
    pub y: i32,
    pub width: u32,
    pub height: u32,
}

impl MonitorArea {
    fn overlap(&self, state: &WindowState) -> u64 {
        let left = i64::from(self.x.max(state.x));
        let top = i64::from(self.y.max(state.y));
        let right = end(self.x, self.width).min(end(state.x, state.width));
        let bottom = end(self.y, self.height).min(end(state.y, state.height));
        if right <= left || bottom <= top {
            return 0;
        }
        u64::try_from((right - left) * (bottom - top)).unwrap_or(0)
    }
}

fn end(start: i32, length: u32) -> i64 {
    i64::from(start) + i64::from(length)
}

/// Where to put a window saved as `saved` on these monitors: on the monitor it overlaps most (the
/// first, the primary, when it overlaps none: a monitor was unplugged), shrunk to fit it, and
/// moved so all of it is visible. `None` without any monitor (nothing to clamp to).
pub fn placement(saved: WindowState, monitors: &[MonitorArea]) -> Option<WindowState> {
    let monitor = monitors
        .iter()
        .max_by_key(|monitor| monitor.overlap(&saved))
        .filter(|monitor| monitor.overlap(&saved) > 0)
        .or_else(|| monitors.first())?;
    let width = saved
        .width
        .clamp(MIN_SIZE.0.min(monitor.width), monitor.width);
    let height = saved
        .height
        .clamp(MIN_SIZE.1.min(monitor.height), monitor.height);
    let fit = |position: i32, length: u32, start: i32, room: u32| -> i32 {
        let last = end(start, room) - i64::from(length);
        let clamped = i64::from(position).clamp(i64::from(start), last.max(i64::from(start)));
        i32::try_from(clamped).unwrap_or(start)
    };
    Some(WindowState {
        x: fit(saved.x, width, monitor.x, monitor.width),
        y: fit(saved.y, height, monitor.y, monitor.height),
        width,
        height,
        maximized: saved.maximized,
    })
}

/// Puts the main window back where it was last time (first start: as configured).
pub(crate) fn restore<R: Runtime>(window: &WebviewWindow<R>) {
    let Some(places) = window.try_state::<WindowPlaces>() else {
        return;
    };
    let Some(saved) = load(window, &places.store_path) else {
        return;
    };
    let monitors: Vec<MonitorArea> = window
        .available_monitors()
        .unwrap_or_default()
        .iter()
        .map(|monitor| {
            let area = monitor.work_area();
            MonitorArea {
                x: area.position.x,
                y: area.position.y,
                width: area.size.width,
                height: area.size.height,
            }
        })
        .collect();
    let Some(place) = placement(saved, &monitors) else {
        return;
    };
    let _ = window.set_size(PhysicalSize::new(place.width, place.height));
    let _ = window.set_position(PhysicalPosition::new(place.x, place.y));
    if place.maximized {
        let _ = window.maximize();
    }
    tracing::debug!(?place, "window restored");
}

/// Where the window's place is kept, and a count of moves and resizes so only the last of a
/// burst saves. Managed by the app once the data folder is known (setup).
#[derive(Debug)]
pub(crate) struct WindowPlaces {
    store_path: PathBuf,
    changes: AtomicU64,
}

impl WindowPlaces {
    pub(crate) fn new(store_path: PathBuf) -> Self {
        Self {
            store_path,
            changes: AtomicU64::new(0),
        }
    }
}

/// Saves a moment after the last move or resize, and at once when the window closes.
pub(crate) fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if window.label() != "main" {
        return;
    }
    let Some(places) = window.try_state::<WindowPlaces>() else {
        return;
    };
    match event {
        WindowEvent::Moved(_) | WindowEvent::Resized(_) => {
            let this_change = places.changes.fetch_add(1, Ordering::SeqCst) + 1;
            let window = window.clone();
            tauri::async_runtime::spawn(async move {
                tokio::time::sleep(SETTLE).await;
                let Some(places) = window.try_state::<WindowPlaces>() else {
                    return;
                };
                if places.changes.load(Ordering::SeqCst) == this_change {
                    save(&window, &places.store_path);
                }
            });
        }
        WindowEvent::CloseRequested { .. } => save(window, &places.store_path),
        _ => {}
    }
}

fn load<R: Runtime>(
    window: &WebviewWindow<R>,
    store_path: &std::path::Path,
) -> Option<WindowState> {
    let store = window.store(store_path).ok()?;
    let value = store.get(STORE_KEY)?;
    serde_json::from_value(value)
        .inspect_err(|error| tracing::warn!(%error, "the saved window place is unreadable"))
        .ok()
}

fn save<R: Runtime>(window: &Window<R>, store_path: &std::path::Path) {
    let Ok(store) = window.store(store_path) else {
        return;
    };
    let maximized = window.is_maximized().unwrap_or(false);
    let minimized = window.is_minimized().unwrap_or(false);
    let previous: Option<WindowState> = store
        .get(STORE_KEY)
        .and_then(|value| serde_json::from_value(value).ok());
    // Maximized or minimized, the geometry is the screen's or nothing: keep the last normal one.
    let state = match (maximized || minimized, previous) {
        (true, Some(previous)) => WindowState {
            maximized,
            ..previous
        },
        _ => {
            let (Ok(position), Ok(size)) = (window.outer_position(), window.inner_size()) else {
                return;
            };
            WindowState {
                x: position.x,
                y: position.y,
                width: size.width,
                height: size.height,
                maximized,
            }
        }
    };
    if previous == Some(state) {
        return;
    }
    let Ok(value) = serde_json::to_value(state) else {
        return;
    };
    store.set(STORE_KEY, value);
    if let Err(error) = store.save() {
        tracing::warn!(%error, "the window place could not be saved");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LAPTOP: MonitorArea = MonitorArea {
        x: 0,
        y: 0,
        width: 1920,
        height: 1080,
    };
    const RIGHT_SCREEN: MonitorArea = MonitorArea {
        x: 1920,
        y: 0,
        width: 2560,
        height: 1440,
    };

    fn saved(x: i32, y: i32, width: u32, height: u32) -> WindowState {
        WindowState {
            x,
            y,
            width,
            height,
            maximized: false,
        }
    }

    #[test]
    fn a_window_that_fits_comes_back_exactly_where_it_was() {
        let place = saved(2200, 100, 1100, 760);
        assert_eq!(placement(place, &[LAPTOP, RIGHT_SCREEN]), Some(place));
    }

    #[test]
    fn a_window_left_on_an_unplugged_screen_moves_to_the_primary_one() {
        let place = placement(saved(2200, 100, 1100, 760), &[LAPTOP]).unwrap();
        assert_eq!(
            (place.x, place.y),
            (820, 100),
            "pulled in to its right edge"
        );
        assert_eq!((place.width, place.height), (1100, 760));
    }

    #[test]
    fn a_window_larger_than_its_screen_is_shrunk_to_fit() {
        let place = placement(saved(-50, -50, 3000, 2000), &[LAPTOP]).unwrap();
        assert_eq!(place, saved(0, 0, 1920, 1080));
    }

    #[test]
    fn a_window_half_off_the_bottom_is_pulled_up() {
        let place = placement(saved(100, 900, 1100, 760), &[LAPTOP]).unwrap();
        assert_eq!((place.x, place.y), (100, 320));
    }

    #[test]
    fn a_window_across_two_screens_stays_on_the_one_it_covers_most() {
        let place = placement(saved(1700, 100, 1100, 760), &[LAPTOP, RIGHT_SCREEN]).unwrap();
        assert_eq!((place.x, place.y), (1920, 100));
    }

    #[test]
    fn a_maximized_window_comes_back_maximized() {
        let place = WindowState {
            maximized: true,
            ..saved(100, 100, 1100, 760)
        };
        assert!(placement(place, &[LAPTOP]).unwrap().maximized);
    }

    #[test]
    fn a_tiny_saved_size_is_raised_to_the_minimum() {
        let place = placement(saved(0, 0, 10, 10), &[LAPTOP]).unwrap();
        assert_eq!((place.width, place.height), MIN_SIZE);
    }

    #[test]
    fn without_monitors_nothing_is_moved() {
        assert_eq!(placement(saved(0, 0, 800, 600), &[]), None);
    }
}
