"""Fixed value lists of the scale corpus: countries (about 200) and organisation types (20).

Ordered roughly by how often such organisations occur, so Zipf popularity by position
gives a realistic skew (a few countries hold most articles, a long tail holds few).
"""

COUNTRIES = tuple(
    """United States; United Kingdom; Germany; France; China; Japan; Canada; India; Australia; Italy;
    Spain; Netherlands; Sweden; Switzerland; Brazil; South Korea; Belgium; Denmark; Norway; Israel;
    Russia; Austria; Finland; Ireland; Poland; Mexico; South Africa; Singapore; New Zealand; Portugal;
    Argentina; Turkey; Greece; Czech Republic; Taiwan; Iran; Egypt; Chile; Hungary; Thailand;
    Malaysia; Saudi Arabia; Nigeria; Pakistan; Colombia; Indonesia; Kenya; Romania; Vietnam; Philippines;
    Ukraine; Bangladesh; Peru; Slovenia; Croatia; Estonia; Lithuania; Latvia; Slovakia; Serbia;
    Bulgaria; Iceland; Luxembourg; Cyprus; Malta; Ghana; Ethiopia; Uganda; Tanzania; The Gambia;
    Morocco; Tunisia; Algeria; Lebanon; Jordan; Qatar; United Arab Emirates; Kuwait; Oman; Bahrain;
    Sri Lanka; Nepal; Venezuela; Ecuador; Uruguay; Paraguay; Bolivia; Cuba; Costa Rica; Panama;
    Jamaica; Trinidad and Tobago; Puerto Rico; Dominican Republic; Guatemala; Honduras; El Salvador;
    Nicaragua; Haiti; Bahamas; Barbados; Belize; Guyana; Suriname; Kazakhstan; Uzbekistan; Georgia;
    Armenia; Azerbaijan; Belarus; Moldova; Albania; North Macedonia; Bosnia and Herzegovina; Montenegro;
    Kosovo; Mongolia; Myanmar; Cambodia; Laos; Brunei; Papua New Guinea; Fiji; Samoa; Tonga;
    Zimbabwe; Zambia; Malawi; Mozambique; Botswana; Namibia; Angola; Rwanda; Burundi; Cameroon;
    Senegal; Ivory Coast; Mali; Burkina Faso; Niger; Chad; Sudan; South Sudan; Somalia; Djibouti;
    Eritrea; Madagascar; Mauritius; Seychelles; Comoros; Cape Verde; Guinea; Guinea-Bissau;
    Sierra Leone; Liberia; Togo; Benin; Gabon; Republic of the Congo; Democratic Republic of the Congo;
    Central African Republic; Equatorial Guinea; Lesotho; Eswatini; Libya; Mauritania; Iraq; Syria;
    Yemen; Afghanistan; Kyrgyzstan; Tajikistan; Turkmenistan; North Korea; Bhutan; Maldives;
    Timor-Leste; Solomon Islands; Vanuatu; Kiribati; Tuvalu; Nauru; Palau; Marshall Islands;
    Micronesia; Andorra; Monaco; Liechtenstein; San Marino; Vatican City; Greenland; Faroe Islands;
    Gibraltar; Bermuda; Cayman Islands; Aruba; Curaçao; Grenada; Saint Lucia; Dominica;
    Antigua and Barbuda; Saint Kitts and Nevis; Saint Vincent and the Grenadines; Palestine;
    Western Sahara; Hong Kong; Macau; New Caledonia; French Polynesia; Guam; Isle of Man; Jersey;
    Guernsey""".replace("\n", " ").split(";")
)
COUNTRIES = tuple(" ".join(c.split()) for c in COUNTRIES)

TYPES = (
    "Public research university", "Research institute", "Academic health science centre", "Hospital",
    "Teaching hospital", "Charity", "Government agency", "Private university", "MRC unit",
    "Medical school", "Research council", "Foundation", "Learned society", "Company", "Museum",
    "Laboratory", "Professional association", "Non-profit organisation", "College", "Think tank",
)
