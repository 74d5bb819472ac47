"""The annotation workstation's headless core: everything the app decides, without Textual.

Blind order, diffing, consistency warnings, time accounting, the draft annotation being
edited and the interface to the test runner and scanner live here as plain Python, so
they are unit-tested directly and the widgets stay thin renderers of their results.
"""
