"""Organisations: regions' psychiatry, departments, AMK, municipal centres, GPs, volunteer
organisations; their sites; and users' memberships with a role.

Owns the access policy every other app uses: who holds which role where
(:mod:`beredt.organisations.selectors`).

May import: core, accounts, geo.

Roles (Danish terms of art kept):
- HL — *Hospitalsledelsen*: psychiatry hospital management, overall responsibility.
- AL — *Afdelingsledelse*: management of the alarmed department (the psychiatric
  preparedness management); coordinates.
- Faglig beredskabsleder — professional preparedness lead: planning and sparring.
- KOP — *Koordinerende Psykiatrisk Kontaktperson*: leads the psychiatric crisis team when
  activated; one per department.
- Kriseteam — crisis team member; registrar; follow-up coordinator; volunteer coordinator;
  viewer (read-only); administrator (manages the organisation's users); DPO
  (*databeskyttelsesrådgiver*, reads the audit log).
"""
