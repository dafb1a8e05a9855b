"""Reference data every feature shares, kept once in the kernel and used by key:

- ``countries``   the Latin American and Caribbean countries (ISO codes), named in the reader's language
- ``systems``     the DPI systems (Pix, gov.br, Bre-B, Llave MX, Ciudadano Digital and those staff add)
- ``principles``  the codes of the safeguards framework's principles, with their short names
"""
