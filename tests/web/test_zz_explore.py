import sys; sys.path.insert(0, "/work/wt/hardening")
exec(open("/work/wt/hardening/tests/web/test_api_schema.py").read().split("@schema.parametrize()")[0])
from schemathesis.checks import CHECKS, load_all_checks
load_all_checks()
ALL = CHECKS.get_all()

@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_all(case):
    response = case.call(headers={"Authorization": f"Bearer {TOKEN}"})
    case.validate_response(response, checks=ALL, headers={"Authorization": f"Bearer {TOKEN}"})
