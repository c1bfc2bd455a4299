#!/usr/bin/env python3
"""A real X drag source for the app's drag-and-drop test: a small GTK 3 window (title
"spse-e2e-drag-source") whose button drags the file given as argument as `text/uri-list`, like a
file manager does. Needs Debian's python3-gi and gir1.2-gtk-3.0. Usage: drag_source.py FILE X Y"""
import sys

import gi

gi.require_version("Gtk", "3.0")
gi.require_version("Gdk", "3.0")
from gi.repository import Gdk, Gio, Gtk  # noqa: E402

path, x, y = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
uri = Gio.File.new_for_path(path).get_uri()

win = Gtk.Window(title="spse-e2e-drag-source")
win.set_default_size(200, 200)
win.move(x, y)
button = Gtk.Button(label="drag me")
button.drag_source_set(Gdk.ModifierType.BUTTON1_MASK, [], Gdk.DragAction.COPY)
button.drag_source_add_uri_targets()
button.connect("drag-data-get", lambda _w, _ctx, data, _info, _t: data.set_uris([uri]))
win.add(button)
win.connect("destroy", Gtk.main_quit)
win.show_all()
Gtk.main()
