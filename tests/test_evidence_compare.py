"""A buyer photo against listing photos: derived with local changes, copy, same scene, unrelated."""
import pytest

from assess.evidence.analyse import analyse_files
from evidence_images import edited, jpeg, scene

TOLERANCE = 15          # pixels, on each edge of the expected box


@pytest.fixture(scope="module")
def photos(tmp_path_factory):
    d = tmp_path_factory.mktemp("photos")
    listing = scene(800, 600, seed=1)
    buyer, expected = edited(listing)                      # painted damage, crop, 0.7x rescale
    paths = {"listing": d / "listing.jpg", "buyer": d / "buyer.jpg",
             "unrelated": d / "unrelated.jpg", "reencoded": d / "reencoded.jpg",
             "other_shot": d / "other.jpg"}
    paths["listing"].write_bytes(jpeg(listing, 92))
    paths["buyer"].write_bytes(jpeg(buyer, 60))            # re-compressed
    paths["unrelated"].write_bytes(jpeg(scene(800, 600, seed=9)))
    paths["reencoded"].write_bytes(jpeg(listing.resize((600, 450)), 50))
    # the same scene with 40% of it replaced: not a copy with local changes
    other = listing.copy()
    other.paste(scene(480, 600, seed=5), (0, 0))
    paths["other_shot"].write_bytes(jpeg(other, 85))
    return paths, expected


def edges(box):
    x, y, w, h = box
    return [x, y, x + w, y + h]


def test_listing_photo_with_local_changes(photos):
    paths, expected = photos
    result = analyse_files([paths["buyer"]], [paths["listing"], paths["unrelated"]], lang="en")
    by_listing = {c["listing"]: c for c in result["comparisons"]}
    hit = by_listing[str(paths["listing"])]
    assert hit["result"]["same_scene"] and hit["result"]["derived"]
    assert hit["result"]["inliers"] >= 100
    [region] = hit["result"]["regions"]
    for got, want in zip(edges(region["box"]), edges(expected)):
        assert abs(got - want) <= TOLERANCE, (region["box"], expected)
    [finding] = hit["findings"]
    assert finding["code"] == "derived_local" and finding["strength"] == "strong"
    assert finding["text"].startswith(
        f"This photo is the merchant's listing photo {paths['listing']} with local changes in region (x=")
    miss = by_listing[str(paths["unrelated"])]
    assert not miss["result"]["same_scene"]
    assert [f["code"] for f in miss["findings"]] == ["no_match"]
    assert miss["findings"][0]["strength"] == "none"
    facts = result["facts"]
    assert facts["derived_from_listing"] is True
    [changed] = facts["changed_regions"]
    assert changed["photo"] == str(paths["buyer"]) and changed["listing"] == str(paths["listing"])
    assert changed["box"] == region["box"]


def test_reencoded_rescaled_copy_has_no_changed_region(photos):
    paths, _ = photos
    result = analyse_files([paths["reencoded"]], [paths["listing"]], lang="zh")
    [c] = result["comparisons"]
    assert c["result"]["derived"] and c["result"]["regions"] == []
    assert [f["code"] for f in c["findings"]] == ["derived_copy"]
    assert result["facts"]["changed_regions"] == []
    assert result["facts"]["derived_from_listing"] is True


def test_same_scene_but_not_a_copy(photos):
    paths, _ = photos
    result = analyse_files([paths["other_shot"]], [paths["listing"]], lang="en")
    [c] = result["comparisons"]
    assert c["result"]["same_scene"] and not c["result"]["derived"]
    assert c["result"]["changed_share"] > 0.25
    assert [f["code"] for f in c["findings"]] == ["same_scene"]
    assert c["findings"][0]["strength"] == "weak"
    assert result["facts"]["same_scene_not_copy"] is True
    assert result["facts"]["derived_from_listing"] is False


def test_unrelated_photo_gives_no_derivation(photos):
    paths, _ = photos
    result = analyse_files([paths["unrelated"]], [paths["listing"]])
    assert result["facts"]["derived_from_listing"] is False
    assert result["facts"]["same_scene_not_copy"] is False
    assert result["comparisons"][0]["result"]["inliers"] < 25


def test_byte_identical_copy(photos, tmp_path):
    paths, _ = photos
    copy = tmp_path / "upload.jpg"
    copy.write_bytes(paths["listing"].read_bytes())
    result = analyse_files([copy], [paths["listing"]])
    [c] = result["comparisons"]
    assert c["identical"] and [f["code"] for f in c["findings"]] == ["identical"]
    assert result["facts"]["derived_from_listing"] is True


def test_undecodable_photo_is_not_compared(photos, tmp_path):
    paths, _ = photos
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(paths["buyer"].read_bytes()[:200])
    result = analyse_files([broken, paths["buyer"]], [paths["listing"]])
    by_photo = {c["photo"]: c for c in result["comparisons"]}
    assert by_photo[str(broken)]["findings"] == []
    assert by_photo[str(paths["buyer"])]["result"]["derived"]


def test_product_on_white_background_with_painted_damage(tmp_path):
    """Closer to a real listing photo: a printed package on a plain background."""
    from PIL import Image, ImageDraw
    listing = Image.new("RGB", (1200, 1200), (250, 250, 250))
    listing.paste(scene(600, 500, seed=4), (300, 350))
    ImageDraw.Draw(listing).rectangle([300, 350, 900, 850], outline=(40, 40, 40), width=6)
    buyer = listing.copy()
    ImageDraw.Draw(buyer).polygon([(620, 500), (700, 480), (760, 560), (690, 640), (610, 600)],
                                  fill=(90, 60, 30))
    buyer = buyer.crop((150, 150, 1100, 1100)).resize((700, 700))
    listing.save(tmp_path / "l.png")
    (tmp_path / "b.jpg").write_bytes(jpeg(buyer, 65))
    result = analyse_files([tmp_path / "b.jpg"], [tmp_path / "l.png"])
    [region] = result["comparisons"][0]["result"]["regions"]
    k = 700 / 950                                     # crop offset 150, scale 700/950
    expected = [round((610 - 150) * k), round((480 - 150) * k), round(150 * k), round(160 * k)]
    for got, want in zip(edges(region["box"]), edges(expected)):
        assert abs(got - want) <= TOLERANCE, (region["box"], expected)
