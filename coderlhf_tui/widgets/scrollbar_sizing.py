"""Scrollbars updated when a line-API view's own size changed, not on every layout.

Textual hands a line-API ``ScrollView`` (an ``OptionList``, a ``SelectionList``) its
viewport as ``virtual_size`` on every layout anywhere on the screen; that never equals the
view's own virtual size (rows by widest row), so each layout repainted the view's
scrollbars, and the repainted strip widened the region the compositor redraws on the keys
that show or hide the comment editor (BENCHMARKS.md, issue 15). The view sets its own
virtual size when its rows change and updates its scrollbars then; this mixin lets the
layout update them only when that size, the widget's size or its container's changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

    _View = ScrollView
else:  # a plain mixin: a widget base class here would shadow the view's CSS and classes
    _View = object


class OwnSizeScrollbars(_View):
    """A line-API view whose scrollbars follow its own virtual size (mix in first)."""

    _scrollbars_sized_for: Size | None = None

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        own = self.virtual_size
        if own == self._scrollbars_sized_for:
            virtual_size = own  # Textual compares: equal means nothing to update
        self._scrollbars_sized_for = own
        return super()._size_updated(size, virtual_size, container_size, layout)
