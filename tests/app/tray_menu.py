#!/usr/bin/python3
"""Reads and clicks the app's tray menu the way a StatusNotifier tray host does: over D-Bus,
through the com.canonical.dbusmenu interface libayatana-appindicator exports for the menu.

Usage (in the app's D-Bus session; Debian python3-gi):
  tray_menu.py layout PID        prints the menu as JSON: [{"id", "label", "enabled", "children"}]
  tray_menu.py click PID ITEM_ID sends the "clicked" event to item ITEM_ID

The app is found by its process id (the bus connection whose Unix process is PID), its menu by
the object that implements com.canonical.dbusmenu. Exits 1 with a message when either is missing.
Used by tests/app/tests/tray.rs; independent of the app's code (GLib's D-Bus client).
"""
import json
import sys
import xml.etree.ElementTree as ET

from gi.repository import Gio, GLib

MENU_IFACE = "com.canonical.dbusmenu"


def bus():
    return Gio.bus_get_sync(Gio.BusType.SESSION, None)


def call(conn, dest, path, iface, method, args, reply):
    return conn.call_sync(dest, path, iface, method, args, GLib.VariantType(reply) if reply else None,
                          Gio.DBusCallFlags.NONE, 5000, None)


def connection_of(conn, pid):
    names = call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                 "ListNames", None, "(as)").unpack()[0]
    for name in names:
        if not name.startswith(":"):
            continue
        try:
            p = call(conn, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                     "GetConnectionUnixProcessID", GLib.Variant("(s)", (name,)), "(u)").unpack()[0]
        except GLib.Error:
            continue
        if p == pid:
            yield name


def find_menu(conn, dest, path="/"):
    try:
        xml = call(conn, dest, path, "org.freedesktop.DBus.Introspectable", "Introspect", None,
                   "(s)").unpack()[0]
    except GLib.Error:
        return None
    root = ET.fromstring(xml)
    if any(i.get("name") == MENU_IFACE for i in root.findall("interface")):
        return path
    for node in root.findall("node"):
        child = (path.rstrip("/") + "/" + node.get("name"))
        found = find_menu(conn, dest, child)
        if found:
            return found
    return None


def locate(conn, pid):
    for name in connection_of(conn, pid):
        path = find_menu(conn, name)
        if path:
            return name, path
    sys.exit(f"no dbusmenu exported by process {pid}")


def tree(item):
    ident, props, children = item
    return {
        "id": ident,
        "label": props.get("label", ""),
        "enabled": props.get("enabled", True),
        "visible": props.get("visible", True),
        "type": props.get("type", "standard"),
        "children": [tree(c) for c in children],
    }


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    conn = bus()
    dest, path = locate(conn, int(sys.argv[2]))
    if sys.argv[1] == "layout":
        layout = call(conn, dest, path, MENU_IFACE, "GetLayout",
                      GLib.Variant("(iias)", (0, -1, [])), "(u(ia{sv}av))").unpack()[1]
        print(json.dumps(tree(layout)["children"], ensure_ascii=False))
    elif sys.argv[1] == "click":
        call(conn, dest, path, MENU_IFACE, "Event",
             GLib.Variant("(isvu)", (int(sys.argv[3]), "clicked", GLib.Variant("i", 0), 0)), None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
