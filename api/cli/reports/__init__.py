"""``jixiao monitoring`` and ``jixiao evaluation``: the reports on an approved table.

A monitoring round (双监控) reports, to the end of a month, how far each approved target has got
and how much of the budget was spent; a self-evaluation (自评) scores the year. The bureau's
editor fills in the whole form from a file (a workbook as ``template`` writes it, or a JSON form
as ``show --json`` prints it under ``form``), submits it, and a reviewer of the level above
approves it, returns it, or (a self-evaluation) sets a 复核 score. Reading is done as the node's
operator, like the audit commands; filling in as the node's editor, reviewing as the node's
reviewer — each named with ``--as`` (the login name by default).

Everything people typed (a measure, a reason, a name) is printed as it is: the consoles are data
consoles and styles are given as ``style=``, never as markup in the text.
"""
