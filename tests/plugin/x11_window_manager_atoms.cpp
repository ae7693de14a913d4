// A bare Xvfb has no window manager, so the window-manager atoms JUCE looks up "if they
// exist" are missing, and JUCE 7.0.5 then sets a window property named by atom 0 (BadAtom,
// which ends the process). Every desktop's window manager creates them; so does this. Kept
// apart from the tests because Xlib's macros (None, Status, Bool) clash with JUCE's names.

#include <X11/Xlib.h>

#include <initializer_list>

// Kept open, and global so that it is neither optimised away nor taken for a leak: an X server
// resets (forgetting every atom) when its last client leaves.
Display* windowManagerAtomsConnection = nullptr;

void createWindowManagerAtoms() {
    Display* display = windowManagerAtomsConnection = XOpenDisplay(nullptr);
    if (display == nullptr) return;  // no display: the editor test will say so
    for (const char* name :
         {"WM_PROTOCOLS", "WM_TAKE_FOCUS", "WM_DELETE_WINDOW", "WM_CHANGE_STATE", "WM_STATE",
          "_NET_WM_PING", "_NET_WM_WINDOW_TYPE", "_NET_WM_WINDOW_TYPE_NORMAL",
          "_NET_WM_WINDOW_TYPE_COMBO", "_NET_WM_STATE", "_NET_WM_STATE_HIDDEN",
          "_NET_WM_STATE_FULLSCREEN", "_NET_WM_ALLOWED_ACTIONS", "_NET_FRAME_EXTENTS",
          "_NET_WORKAREA", "_MOTIF_WM_HINTS"})
        XInternAtom(display, name, False);
}
