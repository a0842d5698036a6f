from tests.apptest_helpers import app_test
def test_btn(app_env, demo_db_path):
    app_env(demo_db_path)
    at = app_test(query_params={"region": "15", "indicator": "t3_laakari"})
    assert not at.exception
    at.button(key="show_hoitoonpaasy_pth_laakari_7vrk").click().run()
    assert not at.exception
    print(at.query_params, at.selectbox(key="w_indicator").value)
    assert at.selectbox(key="w_indicator").value == "hoitoonpaasy_pth_laakari_7vrk"
