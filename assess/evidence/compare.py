"""A buyer photo against a listing photo: same object or scene?  derived from it?  changed where?

Method (OpenCV and scikit-image; nothing hand-made):
1. Both photos are reduced to `WORK_SIDE` pixels on the long side, in grey.
2. ORB features are matched (Lowe's ratio test) and a homography is fitted with RANSAC.  Enough
   inliers (`MIN_INLIERS`) mean the buyer photo shows the same flat scene as the listing photo,
   seen through a crop, a rescale or a perspective change.
3. The listing photo is warped into the buyer photo's frame, its brightness matched, and SSIM is
   computed.  Pixels whose local SSIM is below `CHANGED_SSIM` are "changed"; their connected
   regions larger than `MIN_REGION` of the compared area are reported as bounding boxes in the
   buyer photo's own pixel coordinates.
4. If the changed part is small (at most `LOCAL_MAX` of the compared area), the buyer photo is
   "the listing photo with local changes"; if it is large, the photos show the same scene but
   the buyer photo is not a copy of this listing photo (another shot, another unit, or a heavy
   edit) and nothing is said about where it differs.

What it cannot see is stated in texts.yaml (limits) and measured by benchmarks/bench_evidence.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image
from skimage.metrics import structural_similarity

WORK_SIDE = 1024          # pixels on the long side used for matching and comparison
FEATURES = 2000           # ORB features per photo (ORB: about 10x faster than SIFT here)
MIN_INLIERS = 25          # RANSAC inliers for "same object or scene"
RANSAC_PX = 4.0           # reprojection tolerance, in working pixels
CHANGED_SSIM = 0.55       # local SSIM below this is a changed pixel
MIN_REGION = 0.002        # a changed region must cover this share of the compared area
LOCAL_MAX = 0.25          # up to this share changed: "listing photo with local changes"
MIN_COVERAGE = 0.2        # the listing photo must cover this share of the buyer photo

_detector = None


@dataclass
class Prepared:
    """A photo ready for comparison: grey at working size, its scale, and its features."""
    gray: np.ndarray
    scale: float            # working pixels per original pixel
    size: tuple[int, int]   # original (width, height)
    keypoints: tuple
    descriptors: np.ndarray | None


def prepare(image, size: tuple[int, int] | None = None) -> Prepared:
    """Reduce a PIL image to working size and find its features (done once per photo).

    `size` is the photo's original pixel size when `image` was decoded reduced (JPEG draft);
    boxes are always reported in original pixels."""
    global _detector
    if _detector is None:
        _detector = cv2.ORB_create(nfeatures=FEATURES)
    w, h = size or image.size
    scale = min(1.0, WORK_SIDE / max(w, h))
    target = (max(1, round(w * scale)), max(1, round(h * scale)))
    grey = image.convert("L")
    if grey.size != target:
        grey = grey.resize(target, Image.BILINEAR, reducing_gap=2.0)
    gray = np.asarray(grey, dtype=np.uint8)
    keypoints, descriptors = _detector.detectAndCompute(gray, None)
    return Prepared(gray=gray, scale=scale, size=(w, h), keypoints=tuple(keypoints),
                    descriptors=descriptors)


def compare(buyer: Prepared, listing: Prepared) -> dict:
    """Match, align and compare; every number in the result is in buyer-photo pixels."""
    result = {"same_scene": False, "inliers": 0, "matches": 0, "derived": False,
              "coverage": 0.0, "changed_share": None, "similar_share": None, "regions": []}
    if buyer.descriptors is None or listing.descriptors is None \
            or len(buyer.keypoints) < 4 or len(listing.keypoints) < 4:
        result["note"] = "too few features"
        return result
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(listing.descriptors, buyer.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.75 * p[1].distance]
    result["matches"] = len(good)
    if len(good) < MIN_INLIERS:
        return result
    src = np.float32([listing.keypoints[m.queryIdx].pt for m in good]).reshape(-1, 1, 2)
    dst = np.float32([buyer.keypoints[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
    H, mask = cv2.findHomography(src, dst, cv2.RANSAC, RANSAC_PX)
    if H is None or mask is None:
        return result
    inliers = int(mask.sum())
    result["inliers"] = inliers
    if inliers < MIN_INLIERS or not _plausible(H):
        return result
    result["same_scene"] = True
    # listing pixels -> buyer pixels, both original size (the figures outline regions with it)
    to_work = np.diag([listing.scale, listing.scale, 1.0])
    from_work = np.diag([1 / buyer.scale, 1 / buyer.scale, 1.0])
    result["listing_to_photo"] = [[round(float(v), 6) for v in row]
                                  for row in from_work @ H @ to_work]
    _difference(buyer, listing, H, result)
    return result


def _plausible(H: np.ndarray) -> bool:
    """A homography that is not degenerate (no mirror, no collapse, no extreme perspective)."""
    det = float(np.linalg.det(H[:2, :2]))
    return 1 / 50 < det < 50 and abs(H[2, 0]) < 0.01 and abs(H[2, 1]) < 0.01


def _difference(buyer: Prepared, listing: Prepared, H: np.ndarray, result: dict) -> None:
    h, w = buyer.gray.shape
    warped = cv2.warpPerspective(listing.gray, H, (w, h), flags=cv2.INTER_LINEAR)
    valid = cv2.warpPerspective(np.full(listing.gray.shape, 255, np.uint8), H, (w, h),
                                flags=cv2.INTER_NEAREST)
    valid = cv2.erode(valid, np.ones((9, 9), np.uint8)) > 0
    area = int(valid.sum())
    result["coverage"] = round(area / float(w * h), 3)
    if result["coverage"] < MIN_COVERAGE:
        result["note"] = "listing photo covers too little of the buyer photo to compare"
        return
    a = cv2.GaussianBlur(buyer.gray, (0, 0), 1.5).astype(np.float32)
    b = cv2.GaussianBlur(warped, (0, 0), 1.5).astype(np.float32)
    # match brightness and contrast of the listing photo to the buyer photo (global, linear)
    ma, sa = a[valid].mean(), a[valid].std() + 1e-6
    mb, sb = b[valid].mean(), b[valid].std() + 1e-6
    b = np.clip((b - mb) * (sa / sb) + ma, 0, 255)
    b[~valid] = a[~valid]
    _, ssim = structural_similarity(a, b, win_size=7, data_range=255.0, full=True)
    changed = (ssim < CHANGED_SSIM) & valid
    changed = cv2.morphologyEx(changed.astype(np.uint8), cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    changed = cv2.morphologyEx(changed, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    changed_share = float(changed[valid].mean()) if area else 1.0
    result["changed_share"] = round(changed_share, 3)
    result["similar_share"] = round(float((ssim[valid] > 0.8).mean()), 3) if area else 0.0
    result["derived"] = changed_share <= LOCAL_MAX
    if not result["derived"]:
        return
    count, _, stats, _ = cv2.connectedComponentsWithStats(changed, connectivity=8)
    boxes = []
    for i in range(1, count):
        x, y, bw, bh, px = stats[i]
        if px < MIN_REGION * area:
            continue
        inv = 1.0 / buyer.scale
        box = [int(x * inv), int(y * inv), int(round(bw * inv)), int(round(bh * inv))]
        boxes.append({"box": box, "share": round(float(px) / area, 4)})
    boxes.sort(key=lambda r: -r["share"])
    result["regions"] = boxes
