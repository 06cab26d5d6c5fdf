-- sectors.md, "A person's place": at each coverage point, a person with at least one AKTIF membership
-- is covered once, in the regency and sector of the AKTIF membership with the latest TGL_KEPESERTAAN
-- (ties: the larger NO_KPJ).
with active as (

    select * from {{ ref('int_membership_states') }}
    where status = 'AKTIF'

)

select
    month,
    is_as_of,
    person_id,
    no_kpj,
    regency_code,
    sector,
    sumber_iuran,
from active
qualify row_number() over (
    partition by month, person_id
    order by membership_date desc, no_kpj desc
) = 1
