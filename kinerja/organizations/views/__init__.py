"""Organisation pages, one module per noun (``urls.py`` names each view):

- :mod:`.tree` — the organisation tree of an agency
- :mod:`.directory` — the employee directory
- :mod:`.profile` — one employee's profile with their rater chain (and "my profile")
- :mod:`.employees` — adding and changing an employee
- :mod:`.overrides` — a rater override for one employee
- :mod:`.acting` — an acting official (Plt/Plh) for a position
- :mod:`.accounts` — an employee's account: password reset and assigned roles

Every page looks its object up through the one door (``visible_or_404``) and changes data only
through :mod:`kinerja.organizations.services`. The import pages are in ``imports``.
"""
