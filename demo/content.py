"""What the demo says: the texts of the Pasuruan demo consultations and who its people are.

Plain data for load_demo (demo/management/commands/load_demo.py), which writes it
through the services.
"""

POLICY_TITLE = (
    "Rancangan Peraturan Wali Kota Pasuruan tentang Partisipasi Publik dalam Penyusunan Kebijakan"
)
POLICY_SUMMARY = (
    "Rancangan ini mengatur cara Pemerintah Kota Pasuruan melibatkan warga, lembaga swadaya "
    "masyarakat dan organisasi kemasyarakatan sejak tahap perencanaan kebijakan: konsultasi "
    "publik daring, forum konsultasi publik tatap muka, kewajiban menanggapi setiap masukan, "
    "dan publikasi berita acara. Sampaikan pendapat Anda per pasal."
)
POLICY_SECTIONS = [
    (
        "Pasal 1",
        "Ketentuan Umum",
        "Dalam Peraturan Wali Kota ini yang dimaksud dengan:\n"
        "1. Daerah adalah Kota Pasuruan.\n"
        "2. Pemerintah Daerah adalah Wali Kota sebagai unsur penyelenggara pemerintahan daerah.\n"
        "3. Partisipasi Publik adalah keterlibatan warga, lembaga swadaya masyarakat dan "
        "organisasi kemasyarakatan dalam penyusunan kebijakan daerah.\n"
        "4. Konsultasi Publik adalah kegiatan meminta, menerima dan menanggapi masukan atas "
        "rancangan kebijakan secara terbuka.\n"
        "5. Forum Konsultasi Publik adalah pertemuan tatap muka antara perangkat daerah dan "
        "masyarakat untuk membahas rancangan kebijakan.",
    ),
    (
        "Pasal 2",
        "Maksud dan Tujuan",
        "(1) Peraturan Wali Kota ini dimaksudkan sebagai pedoman bagi perangkat daerah dalam "
        "melibatkan masyarakat.\n"
        "(2) Peraturan Wali Kota ini bertujuan untuk meningkatkan kualitas kebijakan daerah, "
        "keterbukaan informasi, dan kepercayaan masyarakat kepada Pemerintah Daerah.",
    ),
    (
        "Pasal 3",
        "Hak Masyarakat",
        "(1) Setiap warga berhak memperoleh rancangan kebijakan paling lambat 14 (empat belas) "
        "hari sebelum Forum Konsultasi Publik.\n"
        "(2) Setiap warga dan organisasi kemasyarakatan berhak menyampaikan masukan secara lisan "
        "maupun tertulis.\n"
        "(3) Setiap masukan tertulis berhak memperoleh tanggapan tertulis dari perangkat daerah.",
    ),
    (
        "Pasal 4",
        "Kewajiban Perangkat Daerah",
        "(1) Perangkat daerah wajib mengumumkan rancangan kebijakan melalui laman Ruang Dialog.\n"
        "(2) Perangkat daerah wajib mencatat seluruh masukan dan menyusun rekapitulasi "
        "tanggapan.\n"
        "(3) Rekapitulasi tanggapan diumumkan paling lambat 30 (tiga puluh) hari setelah "
        "konsultasi publik ditutup.",
    ),
    (
        "Pasal 5",
        "Forum Konsultasi Publik",
        "(1) Forum Konsultasi Publik diselenggarakan paling sedikit 1 (satu) kali untuk setiap "
        "rancangan kebijakan yang berdampak luas.\n"
        "(2) Undangan disampaikan kepada lembaga swadaya masyarakat yang terdaftar di Badan "
        "Kesatuan Bangsa dan Politik.\n"
        "(3) Hasil Forum Konsultasi Publik dituangkan dalam berita acara yang ditandatangani "
        "perwakilan peserta.",
    ),
    (
        "Pasal 6",
        "Pemungutan Suara",
        "(1) Lembaga swadaya masyarakat yang telah diverifikasi dapat menyatakan sikap setuju, "
        "tidak setuju atau abstain atas rancangan kebijakan.\n"
        "(2) Hasil pemungutan suara bersifat masukan dan tidak mengikat Pemerintah Daerah.",
    ),
    (
        "Pasal 7",
        "Pendanaan",
        "Pendanaan pelaksanaan Peraturan Wali Kota ini bersumber dari Anggaran Pendapatan dan "
        "Belanja Daerah serta sumber lain yang sah dan tidak mengikat.",
    ),
    (
        "Pasal 8",
        "Ketentuan Penutup",
        "Peraturan Wali Kota ini mulai berlaku pada tanggal diundangkan. Agar setiap orang "
        "mengetahuinya, memerintahkan pengundangan Peraturan Wali Kota ini dengan "
        "penempatannya dalam Berita Daerah Kota Pasuruan.",
    ),
]
# Version 2 of the draft answers early input: a longer notice period in Pasal 3.
POLICY_V2_PASAL_3 = (
    "(1) Setiap warga berhak memperoleh rancangan kebijakan paling lambat 21 (dua puluh satu) "
    "hari sebelum Forum Konsultasi Publik.\n"
    "(2) Setiap warga dan organisasi kemasyarakatan berhak menyampaikan masukan secara lisan "
    "maupun tertulis, termasuk melalui laman Ruang Dialog.\n"
    "(3) Setiap masukan tertulis berhak memperoleh tanggapan tertulis dari perangkat daerah."
)

RPJMD_TITLE = "Konsultasi Publik Rancangan Awal RPJMD Kota Pasuruan 2025–2029"
RPJMD_SUMMARY = (
    "Bappeda Kota Pasuruan mengundang lembaga swadaya masyarakat yang terdaftar untuk menilai "
    "program prioritas Rancangan Awal RPJMD 2025–2029. Setiap organisasi dapat memilih paling "
    "banyak 3 (tiga) program yang dinilai paling mendesak."
)
RPJMD_SECTIONS = [
    (
        "Bab I",
        "Pendahuluan",
        "RPJMD Kota Pasuruan 2025–2029 merupakan penjabaran visi, misi dan program Wali Kota "
        "terpilih, disusun dengan berpedoman pada RPJPD Kota Pasuruan 2025–2045 dan RPJMN.",
    ),
    (
        "Bab II",
        "Gambaran Umum Kondisi Daerah",
        "Kota Pasuruan memiliki luas 36,58 km² dengan 4 kecamatan dan 34 kelurahan. Angka "
        "kemiskinan pada 2023 tercatat 6,5 persen; cakupan air minum layak 92 persen.",
    ),
    (
        "Bab III",
        "Permasalahan dan Isu Strategis",
        "Isu strategis meliputi kualitas layanan kesehatan dasar, stunting, banjir rob di "
        "kawasan pesisir, pengelolaan sampah, dan daya saing usaha mikro.",
    ),
    (
        "Bab IV",
        "Visi, Misi, Tujuan dan Sasaran",
        "Visi: Kota Pasuruan yang Maju, Sejahtera dan Berkelanjutan. Misi 1: tata kelola "
        "pemerintahan yang terbuka. Misi 2: sumber daya manusia yang sehat dan cerdas. "
        "Misi 3: perekonomian yang tangguh. Misi 4: lingkungan yang lestari.",
    ),
    (
        "Bab V",
        "Program Prioritas dan Pagu Indikatif",
        "Program prioritas berikut disusun per misi dan sasaran, lengkap dengan indikator "
        "kinerja dan pagu indikatif lima tahun. Pagu bersifat indikatif dan akan "
        "disesuaikan dengan kemampuan keuangan daerah.",
    ),
]
RPJMD_ITEMS = [
    (
        "1.02.02",
        "Peningkatan Kualitas Pelayanan Kesehatan Masyarakat",
        "Misi 2 › Sasaran 2.1",
        [
            "Angka kematian ibu per 100.000 kelahiran hidup: 98 → 75",
            "Puskesmas terakreditasi paripurna: 3 → 8",
        ],
        "1500000000",
    ),
    (
        "1.02.03",
        "Percepatan Penurunan Stunting",
        "Misi 2 › Sasaran 2.1",
        ["Prevalensi stunting balita: 17,2% → 10%", "Posyandu aktif: 120 → 168"],
        "2750000000",
    ),
    (
        "1.01.02",
        "Pengelolaan Pendidikan Dasar",
        "Misi 2 › Sasaran 2.2",
        ["Rata-rata lama sekolah: 9,6 → 10,4 tahun", "Sekolah ramah anak: 40% → 75%"],
        "4200000000",
    ),
    (
        "1.03.05",
        "Pengendalian Banjir dan Rob Kawasan Pesisir",
        "Misi 4 › Sasaran 4.1",
        ["Luas genangan banjir: 210 ha → 90 ha", "Saluran drainase dinormalisasi: 35 km"],
        "6800000000",
    ),
    (
        "2.11.03",
        "Pengelolaan Persampahan Berbasis Masyarakat",
        "Misi 4 › Sasaran 4.2",
        ["Sampah terkelola: 68% → 85%", "Bank sampah aktif: 42 → 80"],
        "1250000000",
    ),
    (
        "3.27.02",
        "Pemberdayaan Usaha Mikro dan Koperasi",
        "Misi 3 › Sasaran 3.1",
        ["Usaha mikro naik kelas: 150 unit per tahun", "Koperasi sehat: 45% → 70%"],
        "950000000",
    ),
]

CONCLUDED_TITLE = (
    "Rancangan Peraturan Wali Kota Pasuruan tentang Pengelolaan Sampah Rumah Tangga Berbasis "
    "Masyarakat"
)
CONCLUDED_SECTIONS = [
    (
        "Pasal 1",
        "Ketentuan Umum",
        "Sampah rumah tangga adalah sampah yang berasal dari kegiatan sehari-hari dalam rumah "
        "tangga, tidak termasuk tinja dan sampah spesifik.",
    ),
    (
        "Pasal 2",
        "Pemilahan di Sumber",
        "Setiap rumah tangga wajib memilah sampah organik dan anorganik sebelum diangkut ke "
        "tempat penampungan sementara.",
    ),
    (
        "Pasal 3",
        "Bank Sampah",
        "Pemerintah Daerah memfasilitasi pembentukan bank sampah di setiap kelurahan bersama "
        "lembaga swadaya masyarakat.",
    ),
]

DRAFT_TITLE = "Rancangan Kebijakan Penataan Ruang Terbuka Hijau Kota Pasuruan"
DRAFT_SECTIONS = [
    (
        "Pasal 1",
        "Ketentuan Umum",
        "Ruang terbuka hijau adalah area memanjang atau mengelompok yang penggunaannya lebih "
        "bersifat terbuka, tempat tumbuh tanaman secara alamiah maupun sengaja ditanam.",
    ),
    (
        "Pasal 2",
        "Proporsi Ruang Terbuka Hijau",
        "Proporsi ruang terbuka hijau publik paling sedikit 20 (dua puluh) persen dari luas "
        "wilayah kota.",
    ),
]

# username, full name, email, groups, is_staff
STAFF = [
    ("bappeda", "Rahmat Hidayat (Bappeda)", "bappeda@pasuruankota.go.id", ["officials"], True),
    (
        "bakesbangpol",
        "Siti Aminah (Bakesbangpol)",
        "bakesbangpol@pasuruankota.go.id",
        ["officials"],
        True,
    ),
    ("moderator", "Dewi Lestari", "moderator@pasuruankota.go.id", ["moderators"], False),
    ("planner", "Budi Santoso (Bappeda)", "perencana@pasuruankota.go.id", ["planners"], False),
]
# acronym, name, SKT number, address, representative, (full name), members, final status
ORGANIZATIONS = [
    (
        "Pelita",
        "LSM Pelita Pasuruan",
        "220/045/424.072/2023",
        "Jl. Pahlawan No. 12, Kel. Kebonsari, Kota Pasuruan",
        ("pelita", "Rina Wulandari"),
        [("pelita.anggota", "Dedi Kurniawan")],
        "verified",
    ),
    (
        "FWPL",
        "Forum Warga Peduli Lingkungan",
        "220/061/424.072/2022",
        "Jl. Hasanuddin No. 7, Kel. Bugul Kidul, Kota Pasuruan",
        ("fwpl", "Ahmad Fauzi"),
        [],
        "verified",
    ),
    (
        "YCP",
        "Yayasan Cahaya Pesisir",
        "220/018/424.072/2019",
        "Jl. Pelabuhan No. 3, Kel. Ngemplakrejo, Kota Pasuruan",
        ("ycp", "Nur Hasanah"),
        [],
        "expired",
    ),
    (
        "Karya Muda",
        "Ormas Karya Muda",
        "220/102/424.072/2025",
        "Jl. Soekarno-Hatta No. 88, Kel. Purworejo, Kota Pasuruan",
        ("karyamuda", "Yoga Pratama"),
        [],
        "pending",
    ),
]
