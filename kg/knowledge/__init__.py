"""Domain knowledge the stages look things up in: institution names (institutions.py), the
Chinese–English topic glossary (glossary.py) and code hosts (code_hosts.py)."""
