def test_start_lists_my_collaborations(world):
    response = world.client("ledamot").get("/")
    assert response.status_code == 200
    assert "Malå testsamverkan" in response.content.decode()
    assert "Älvdalen testsamverkan" not in response.content.decode()
