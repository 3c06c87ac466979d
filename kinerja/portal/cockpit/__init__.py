"""What the home pages show beyond the worklist: the leader's cockpit (``leader``) and the
employee's and the rater's own view (``personal``). Reads only — every fact comes from the
selector of the app that owns it (strategy achievement, stream metrics, the evaluations'
curve and completion); this package only picks, orders and shapes them for the page."""
