"""Evidence fixtures built with Pillow at test time: listing photos, edited copies, labelled files.

Nothing here is a stored sample; every image is drawn from a seed, so tests are repeatable.
"""
from __future__ import annotations

import io
import json
import struct

import numpy as np
from PIL import Image, ImageDraw, ImageFilter
from PIL.PngImagePlugin import PngInfo

TC260 = "http://www.tc260.org.cn/ns/AIGC/1.0/"
LABEL = {"Label": "1", "ContentProducer": "001191101085923000000XYZ", "ProduceID": "P-2025-0001",
         "ReservedCode1": "c2lnbmF0dXJl", "ContentPropagator": "", "PropagateID": "",
         "ReservedCode2": ""}


def scene(w: int = 800, h: int = 600, seed: int = 1) -> Image.Image:
    """A textured 'product photo': coloured shapes and printed text on a mottled background."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 255, (max(1, h // 8), max(1, w // 8), 3), dtype=np.uint8)
    img = Image.fromarray(base).resize((w, h), Image.BICUBIC).filter(ImageFilter.GaussianBlur(2))
    draw = ImageDraw.Draw(img)
    unit = max(w, h) / 800
    for _ in range(60):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(5, max(6, w // 10)))
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + r, y + r], fill=colour, outline=(0, 0, 0), width=max(1, int(unit)))
        else:
            draw.rectangle([x, y, x + r, y + r // 2], fill=colour, outline=(255, 255, 255),
                           width=max(1, int(unit)))
    for i in range(20):
        draw.text((int(rng.integers(0, max(1, w - 60))), int(rng.integers(0, max(1, h - 20)))),
                  f"SKU-{i}", fill=(0, 0, 0), font_size=int(12 * unit))
    return img


def edited(listing: Image.Image, damage=(0.55, 0.35, 0.72, 0.55), crop=(0.1, 0.08, 0.95, 0.9),
           scale: float = 0.7):
    """The listing photo with painted 'damage', cropped and rescaled.

    Returns (image, expected box [x, y, w, h] of the damage in the edited image's pixels)."""
    w, h = listing.size
    img = listing.copy()
    box = [int(damage[0] * w), int(damage[1] * h), int(damage[2] * w), int(damage[3] * h)]
    ImageDraw.Draw(img).ellipse(box, fill=(70, 40, 20))
    cut = [int(crop[0] * w), int(crop[1] * h), int(crop[2] * w), int(crop[3] * h)]
    img = img.crop(cut)
    img = img.resize((int(img.width * scale), int(img.height * scale)), Image.LANCZOS)
    expected = [(box[0] - cut[0]) * scale, (box[1] - cut[1]) * scale,
                (box[2] - box[0]) * scale, (box[3] - box[1]) * scale]
    return img, [round(v) for v in expected]


def jpeg(img: Image.Image, quality: int = 90, **kw) -> bytes:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality, **kw)
    return buf.getvalue()


def png(img: Image.Image, pnginfo: PngInfo | None = None) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG", pnginfo=pnginfo)
    return buf.getvalue()


def xmp_packet(label: dict, form: str = "element") -> bytes:
    value = json.dumps(label, ensure_ascii=False)
    esc = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    if form == "element":
        inner = (f'<rdf:Description rdf:about="" xmlns:TC260="{TC260}">'
                 f"<TC260:AIGC>{esc}</TC260:AIGC></rdf:Description>")
    else:
        inner = f'<rdf:Description rdf:about="" xmlns:TC260="{TC260}" TC260:AIGC="{esc}"/>'
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f"{inner}</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>").encode("utf-8")


def jpeg_with_xmp(img, label=LABEL, form="element") -> bytes:
    return jpeg(img, xmp=xmp_packet(label, form))


def png_with_text(img, label=LABEL, itxt: bool = False) -> bytes:
    info = PngInfo()
    value = json.dumps(label, ensure_ascii=False)
    if itxt:
        info.add_itxt("AIGC", value)
    else:
        info.add_text("AIGC", value)
    return png(img, info)


def jpeg_with_user_comment(img, label=LABEL, camera: bool = False) -> bytes:
    exif = Image.Exif()
    if camera:
        exif[0x010F] = "TestMake"
        exif[0x0110] = "TestModel X"
    comment = json.dumps({"AIGC": label}).encode("ascii")
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00" + comment
    if camera:
        exif.get_ifd(0x8769)[0x9003] = "2025:11:20 10:11:12"
    return jpeg(img, exif=exif)


def jpeg_with_app_segment(img, label=LABEL, marker: int = 0xEB) -> bytes:
    """A JPEG with the label as JSON in an APPn segment right after SOI."""
    data = jpeg(img)
    payload = b"AIGC\x00" + json.dumps({"AIGC": label}).encode("utf-8")
    segment = bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def mp4_with_label(label=LABEL) -> bytes:
    """A minimal MP4 (ftyp + moov/udta/meta) whose meta box holds the label JSON."""
    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload) + 8) + kind + payload
    meta = box(b"meta", b"\x00\x00\x00\x00" + json.dumps({"AIGC": label}).encode("utf-8"))
    return box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2") + box(b"moov", box(b"udta", meta))


def signing_ca():
    """A throw-away certificate authority and a claim-signing certificate made for the test.

    Returns (chain PEM of signer + CA, private key PEM, CA PEM)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    def name(cn):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                          x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Evidence Test Org")])

    def usage(ca: bool):
        return x509.KeyUsage(digital_signature=True, content_commitment=False,
                             key_encipherment=False, data_encipherment=False, key_agreement=False,
                             key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False)

    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(name("Evidence Test Root CA"))
          .issuer_name(name("Evidence Test Root CA")).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(usage(True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(name("Evidence Test Signer"))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(usage(False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = lambda c: c.public_bytes(serialization.Encoding.PEM)           # noqa: E731
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return pem(leaf) + pem(ca), key_pem, pem(ca).decode()


def c2pa_signed_jpeg(img, source_type: str = "trainedAlgorithmicMedia", ca=None) -> bytes:
    """A JPEG signed with c2pa-python's own Builder and the test certificate."""
    import c2pa

    chain, key, _ = ca or signing_ca()
    manifest = {
        "claim_generator_info": [{"name": "evidence-test-generator", "version": "1.0"}],
        "title": "signed.jpg",
        "assertions": [{"label": "c2pa.actions", "data": {"actions": [{
            "action": "c2pa.created",
            "digitalSourceType": f"http://cv.iptc.org/newscodes/digitalsourcetype/{source_type}"}]}}],
    }
    signer = c2pa.Signer.from_info(c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, chain, key, None))
    out = io.BytesIO()
    c2pa.Builder(manifest).sign(signer, "image/jpeg", io.BytesIO(jpeg(img)), out)
    return out.getvalue()
